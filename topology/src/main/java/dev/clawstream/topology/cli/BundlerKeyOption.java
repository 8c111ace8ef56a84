package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The key the bundler seals proof bundles with: a PEM file, or an environment variable holding the PEM. */
final class BundlerKeyOption {

    static final String KEY_NAME = "bundler";

    @Option(names = "--bundler-key", paramLabel = "FILE", description = "The bundler's Ed25519 private key (PEM).")
    Path file;

    @Option(names = "--bundler-key-env", paramLabel = "VAR",
            description = "Environment variable holding the bundler's private key PEM (keeps it off disk).")
    String env;

    Optional<Signer> load() throws IOException {
        if (file != null) {
            return Optional.of(Keys.readPrivateKey(file));
        }
        if (env != null) {
            return Optional.of(Keys.privateKeyFromEnv(env));
        }
        return Optional.empty();
    }

    /**
     * For {@code up}: the given key, else DIR/bundler.key.pem, generated there on first start (and said
     * so), so a local stack seals from the first job and keeps the same key across restarts.
     */
    Signer loadOrGenerate(Path dir, PrintWriter out) throws IOException {
        Optional<Signer> given = load();
        if (given.isPresent()) {
            return given.get();
        }
        Path privateKey = dir.resolve(KEY_NAME + ".key.pem");
        if (Files.exists(privateKey)) {
            return Keys.readPrivateKey(privateKey);
        }
        Signer generated = Keys.generate();
        Keys.write(generated, dir, KEY_NAME);
        out.println("Generated the bundler's signing key " + generated.keyId() + " in " + dir
                + " (verify bundles with " + dir.resolve(KEY_NAME + ".pub.pem") + ").");
        return generated;
    }
}
