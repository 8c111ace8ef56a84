package dev.clawstream.topology.web;

import java.util.Objects;
import java.util.Optional;

/**
 * How the web server is reached and guarded.
 *
 * @param bindHost          {@code localhost} unless the user says otherwise: the viewer is not meant to
 *                          face a network nobody chose
 * @param bearerToken       required for anything beyond read-only; absent means the server is read-only
 * @param bundlerPublicKeyPem the key the pages verify bundles against, offered to the browser; absent when
 *                          this process does not know it (the page then asks for it)
 */
public record WebSettings(String bindHost, int port, Optional<String> bearerToken, Optional<String> bundlerPublicKeyPem) {

    public static final int DEFAULT_PORT = 8080;

    public WebSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(bearerToken, "bearerToken");
        Objects.requireNonNull(bundlerPublicKeyPem, "bundlerPublicKeyPem");
        if (bearerToken.isPresent() && bearerToken.get().length() < 16) {
            throw new IllegalArgumentException("the web bearer token must be at least 16 characters");
        }
    }
}
