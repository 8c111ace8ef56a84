package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where a signing command finds its private key: a PEM file, or an environment variable holding the PEM. */
final class KeyOptions {

    @Option(names = "--key", paramLabel = "FILE", description = "Private key PEM file.")
    Path keyFile;

    @Option(names = "--key-env", paramLabel = "VAR",
            description = "Environment variable holding the private key PEM (keeps the key off disk).")
    String keyEnv;

    Signer signer() throws IOException {
        if (keyFile != null) {
            return Keys.readPrivateKey(keyFile);
        }
        if (keyEnv != null) {
            return Keys.privateKeyFromEnv(keyEnv);
        }
        throw new IllegalArgumentException("give the signing key with --key FILE or --key-env VAR");
    }
}
