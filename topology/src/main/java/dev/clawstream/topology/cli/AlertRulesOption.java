package dev.clawstream.topology.cli;

import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.RulesParseResult;
import dev.clawstream.alerter.rules.RulesParser;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The alerter's rules: a YAML or JSON file in the seeds' shape, or the shipped defaults. */
final class AlertRulesOption {

    @Option(names = "--alert-rules", paramLabel = "FILE",
            description = "Alert rules, YAML or JSON (default: the shipped rules; see README, Alerts).")
    Path file;

    /** The rules; an invalid file is reported fault by fault ({@code FILE:LINE:COL $.path: …}) and refused. */
    RuleSet load(PrintWriter err) throws IOException {
        if (file == null) {
            return RulesParser.defaults();
        }
        RulesParseResult result = RulesParser.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        if (result instanceof RulesParseResult.Invalid invalid) {
            invalid.errors().forEach(err::println);
            err.flush();
            throw new InvalidInputException(invalid.errors().size() + " error(s) in " + file);
        }
        return ((RulesParseResult.Valid) result).rules();
    }
}
