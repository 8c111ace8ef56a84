package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.util.Arrays;
import java.util.Objects;

/**
 * What opens one commitment: the salt and the value. The full bundle carries every opening; the
 * redacted (Trust Pulse) copy carries none, and verifies against the same seal because entries only
 * ever hold the commitment.
 */
public record Opening(byte[] salt, JsonNode value) {

    public Opening {
        if (salt.length != Commitment.SALT_LENGTH) {
            throw new IllegalArgumentException("a salt is " + Commitment.SALT_LENGTH + " bytes, got " + salt.length);
        }
        salt = salt.clone();
        value = Objects.requireNonNull(value, "value").deepCopy();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public JsonNode value() {
        return value.deepCopy();
    }

    public Sha256Hash commitment() {
        return Commitment.of(salt, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Opening op && Arrays.equals(op.salt, salt) && op.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt) * 31 + value.hashCode();
    }

    /** Never the value or the salt: an opening in a log line would undo the redaction. */
    @Override
    public String toString() {
        return "Opening[" + commitment() + "]";
    }
}
