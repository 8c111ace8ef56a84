package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.topology.web.WebSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where Trust Pulse and the live view are served, and the token that guards anything beyond reading. */
final class WebOptions {

    @Option(names = "--web-port", defaultValue = "8080",
            description = "Trust Pulse and live-view port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--web-bind", defaultValue = "localhost",
            description = "Address the web server binds (default: ${DEFAULT-VALUE}; 0.0.0.0 exposes it to your network).")
    String bind;

    @Option(names = "--web-token-file", paramLabel = "FILE",
            description = "Bearer token (first line of FILE) required for any request beyond reading.")
    Path tokenFile;

    @Option(names = "--web-token-env", paramLabel = "VAR",
            description = "Same, from environment variable VAR.")
    String tokenEnv;

    WebSettings settings(Optional<Signer> bundlerKey) throws IOException {
        Optional<String> token = Optional.empty();
        if (tokenFile != null) {
            token = Files.readAllLines(tokenFile, StandardCharsets.UTF_8).stream().findFirst().map(String::strip);
        } else if (tokenEnv != null) {
            String value = System.getenv(tokenEnv);
            if (value == null || value.isBlank()) {
                throw new InvalidInputException("environment variable " + tokenEnv + " is not set");
            }
            token = Optional.of(value.strip());
        }
        return new WebSettings(bind, port, token, bundlerKey.map(k -> k.verifier().publicKeyPem()));
    }
}
