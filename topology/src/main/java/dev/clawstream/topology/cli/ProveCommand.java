package dev.clawstream.topology.cli;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.EntryProof;
import dev.clawstream.bundler.VerificationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code clawstream prove}: one entry of a sealed bundle, provable without handing over the rest. */
@Command(name = "prove", mixinStandardHelpOptions = true,
        description = {"Write an inclusion proof (C2SP tlog-proof) that entry N belongs to a sealed bundle: the entry,",
                "its Merkle path and the signed seal. `clawstream verify-proof` checks it with the bundler's key alone."})
final class ProveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "A sealed bundle document.")
    Path bundle;

    @Option(names = "--entry", required = true, paramLabel = "N", description = "The entry's index in the job's chain.")
    long entry;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the proof here instead of stdout.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String proof;
        try {
            proof = EntryProof.prove(BundleDocument.parse(Files.readString(bundle, StandardCharsets.UTF_8)), entry)
                    .format();
        } catch (VerificationException | IllegalArgumentException e) {
            throw new InvalidInputException(bundle + ": " + e.getMessage());
        }
        if (out != null) {
            Files.writeString(out, proof, StandardCharsets.UTF_8);
            spec.commandLine().getOut().println("proof of entry " + entry + " -> " + out);
        } else {
            spec.commandLine().getOut().print(proof);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
