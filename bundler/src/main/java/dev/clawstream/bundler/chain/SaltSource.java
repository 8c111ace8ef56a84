package dev.clawstream.bundler.chain;

import java.security.SecureRandom;

/** Where redaction salts come from: the platform's strong random source, or fixed salts for test vectors. */
@FunctionalInterface
public interface SaltSource {

    /** A fresh {@link Commitment#SALT_LENGTH}-byte salt. */
    byte[] nextSalt();

    static SaltSource secure() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] salt = new byte[Commitment.SALT_LENGTH];
            random.nextBytes(salt);
            return salt;
        };
    }
}
