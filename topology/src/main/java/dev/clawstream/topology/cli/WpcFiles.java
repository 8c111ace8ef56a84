package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a WPC file for a command; an invalid one is printed error by error and ends the command with exit 2. */
final class WpcFiles {

    private WpcFiles() {
    }

    static WpcParseResult.Valid readValid(Path file, PrintWriter err) throws IOException {
        WpcParseResult result = WpcParser.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        if (result instanceof WpcParseResult.Invalid invalid) {
            invalid.errors().forEach(err::println);
            err.flush();
            throw new InvalidInputException(invalid.errors().size() + " error(s) in " + file);
        }
        return (WpcParseResult.Valid) result;
    }
}
