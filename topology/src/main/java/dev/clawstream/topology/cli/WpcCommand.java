package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.wpc.WpcDiff;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code clawstream wpc check|hash|diff}: Work Policy Contracts as files. */
@Command(name = "wpc", mixinStandardHelpOptions = true,
        description = "Check, hash and compare Work Policy Contracts (docs/wpc.md).",
        subcommands = {WpcCommand.Check.class, WpcCommand.Hash.class, WpcCommand.Diff.class})
final class WpcCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a WPC. Prints every error as FILE:LINE:COLUMN JSON-PATH: message and exits 2,",
                    "or prints its name, version and hash and exits 0."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            WpcParseResult.Valid valid = WpcFiles.readValid(file, spec.commandLine().getErr());
            out.println("valid: " + valid.wpc().name() + valid.wpc().version().map(v -> " version " + v).orElse("")
                    + " " + valid.document().hash());
            return 0;
        }
    }

    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = "Print the WPC hash: sha256 over the RFC 8785 canonical form, as sha256:<hex>.")
    static final class Hash implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws Exception {
            spec.commandLine().getOut().println(WpcFiles.readValid(file, spec.commandLine().getErr()).document().hash());
            return 0;
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = {"What NEW widens (more can leave) and narrows (less can leave) compared with OLD:",
                    "the evidence to review before a new WPC hash goes live, or before a rollback."})
    static final class Diff implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "OLD")
        Path before;

        @Parameters(index = "1", paramLabel = "NEW")
        Path after;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            WpcParseResult.Valid old = WpcFiles.readValid(before, err);
            WpcParseResult.Valid now = WpcFiles.readValid(after, err);
            out.println(old.document().hash() + " -> " + now.document().hash());
            List<WpcDiff.Change> changes = WpcDiff.between(old.wpc(), now.wpc());
            if (changes.isEmpty()) {
                out.println("no rule changes");
            }
            changes.forEach(out::println);
            return 0;
        }
    }
}
