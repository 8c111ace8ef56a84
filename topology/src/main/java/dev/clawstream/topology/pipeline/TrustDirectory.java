package dev.clawstream.topology.pipeline;

import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whose signatures the pipeline believes, as a directory of public keys:
 * {@code publishers/*.pub.pem} (WPCs), {@code issuers/*.pub.pem} (tokens), {@code gateways/*.pub.pem}
 * (receipts). A missing directory trusts nobody of that kind, so everything needing it is denied.
 */
public final class TrustDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(TrustDirectory.class);

    private TrustDirectory() {
    }

    public static EnforcerKeys load(Path dir) throws IOException {
        return new EnforcerKeys(kind(dir, "publishers", "every WPC will be refused"),
                kind(dir, "issuers", "every token will be refused"),
                kind(dir, "gateways", "every gateway receipt will be refused"));
    }

    private static TrustedKeys kind(Path dir, String name, String consequence) throws IOException {
        Path keys = dir.resolve(name);
        if (!Files.isDirectory(keys)) {
            LOG.warn("no trusted {} keys in {}: {}", name, keys.toAbsolutePath(), consequence);
            return TrustedKeys.none();
        }
        TrustedKeys trusted = TrustedKeys.load(keys);
        if (trusted.keyIds().isEmpty()) {
            LOG.warn("no *.pub.pem in {}: {}", keys.toAbsolutePath(), consequence);
        }
        return trusted;
    }
}
