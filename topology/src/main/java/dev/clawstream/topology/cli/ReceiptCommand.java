package dev.clawstream.topology.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code clawstream receipt sign}: gateway receipts for tests and demos, signed as docs/receipts.md says. */
@Command(name = "receipt", mixinStandardHelpOptions = true, description = "Gateway receipts (docs/receipts.md).",
        subcommands = ReceiptCommand.Sign.class)
final class ReceiptCommand {

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign receipts read as JSON lines from stdin (signature and gateway_key_id may be left out).",
                    "Writes signed receipts as JSON lines, ready for 'clawstream publish gateway.receipts'.",
                    "A bad line is reported on stderr with its number and field; exit 1 if any was."})
    static final class Sign implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper()
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions key;

        @Override
        public Integer call() throws Exception {
            Signer gateway = key.signer();
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            int rejected = 0;
            int number = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode node = JSON.readTree(line);
                        if (!(node instanceof ObjectNode object)) {
                            throw new IllegalArgumentException("not a JSON object");
                        }
                        // Filled in by signing; a placeholder lets the record be read first.
                        object.put("gateway_key_id", gateway.keyId().toString());
                        object.put("signature", "");
                        GatewayReceipt receipt = AvroJson.fromJson(object.toString(), GatewayReceipt.class);
                        out.println(AvroJson.toJsonLine(ReceiptSignature.sign(gateway, receipt)));
                    } catch (AvroJsonException e) {
                        rejected++;
                        final int n = number;
                        e.errors().forEach(error -> err.println("line " + n + ": " + error));
                    } catch (JsonProcessingException | IllegalArgumentException e) {
                        rejected++;
                        err.println("line " + number + ": " + e.getMessage());
                    }
                }
            }
            out.flush();
            err.flush();
            return rejected == 0 ? 0 : 1;
        }
    }
}
