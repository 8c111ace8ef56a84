package dev.clawstream.topology.cli;

import dev.clawstream.bundler.EntryProof;
import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.note.TlogProof;
import dev.clawstream.enforcer.crypto.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream verify-proof}: an entry proven to belong to a sealed bundle. */
@Command(name = "verify-proof", mixinStandardHelpOptions = true,
        description = {"Verify an inclusion proof from `clawstream prove` with the bundler's public key: the seal's",
                "signature, and the entry's Merkle path to the sealed root. Prints the entry; exit 0 when valid, 2 otherwise."})
final class VerifyProofCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PROOF")
    Path proof;

    @Option(names = "--key", required = true, paramLabel = "PUB", description = "The bundler's public key (PEM).")
    Path key;

    @Option(names = "--job", paramLabel = "J", description = "Also require the proof to be about this job.")
    Optional<String> job;

    @Override
    public Integer call() throws Exception {
        try {
            TlogProof parsed = TlogProof.parse(Files.readString(proof, StandardCharsets.UTF_8));
            EntryProof.verify(parsed, Keys.readPublicKey(key), job);
            spec.commandLine().getOut().println("VALID: entry " + parsed.index() + " is in the sealed bundle");
            spec.commandLine().getOut().println(EntryProof.entry(parsed).toString());
            return 0;
        } catch (VerificationException e) {
            spec.commandLine().getErr().println("INVALID: " + e.getMessage());
            return InvalidInputException.EXIT_CODE;
        }
    }
}
