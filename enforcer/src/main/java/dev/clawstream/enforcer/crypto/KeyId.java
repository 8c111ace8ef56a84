package dev.clawstream.enforcer.crypto;

import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.util.Objects;

/**
 * Names a public key without revealing anything secret: {@code sha256:} of the key's 32 raw bytes.
 * Every signature Clawstream checks names the key id it claims, so keys can rotate.
 */
public record KeyId(Sha256Hash hash) {

    public KeyId {
        Objects.requireNonNull(hash, "hash");
    }

    public static KeyId parse(String text) {
        return new KeyId(Sha256Hash.parse(text));
    }

    static KeyId ofRawPublicKey(byte[] raw) {
        return new KeyId(Sha256Hash.of(raw));
    }

    @Override
    public String toString() {
        return hash.toString();
    }
}
