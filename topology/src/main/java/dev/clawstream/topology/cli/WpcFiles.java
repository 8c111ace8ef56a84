package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcSignature;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * WPC and signature files for the commands. An invalid WPC is printed error by error and ends the
 * command with exit 2.
 */
final class WpcFiles {

    private WpcFiles() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static void writeSignature(WpcSignature signature, Path file) throws IOException {
        ObjectNode node = JSON.createObjectNode()
                .put("wpc_hash", signature.wpcHash().toString())
                .put("publisher_key_id", signature.publisherKeyId().toString())
                .put("signature", Base64.getEncoder().encodeToString(signature.signature()));
        Files.writeString(file, node.toPrettyString() + "\n", StandardCharsets.UTF_8);
    }

    static WpcSignature readSignature(Path file) throws IOException {
        JsonNode node = JSON.readTree(file.toFile());
        try {
            return new WpcSignature(Sha256Hash.parse(node.path("wpc_hash").asText()),
                    KeyId.parse(node.path("publisher_key_id").asText()),
                    Base64.getDecoder().decode(node.path("signature").asText()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(file + ": not a WPC signature file: " + e.getMessage());
        }
    }

    static WpcParseResult.Valid readValid(Path file, PrintWriter err) throws IOException {
        return validDocument(Files.readString(file, StandardCharsets.UTF_8), file.toString(), err);
    }

    /** {@code text} parsed as a WPC; its errors printed and exit 2 when it is not one. */
    static WpcParseResult.Valid validDocument(String text, String source, PrintWriter err) {
        WpcParseResult result = WpcParser.parse(text, source);
        if (result instanceof WpcParseResult.Invalid invalid) {
            invalid.errors().forEach(err::println);
            err.flush();
            throw new InvalidInputException(invalid.errors().size() + " error(s) in " + source);
        }
        return (WpcParseResult.Valid) result;
    }
}
