package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A salted commitment to one redacted value (docs/proof-bundle.md, "Redaction"):
 * <pre>
 * SHA-256( UTF-8("clawstream-commitment/v1") || 0x00
 *          || uint32be(len(salt)) || salt
 *          || uint32be(len(v)) || v )          v = RFC 8785 canonical bytes of the JSON value
 * </pre>
 * The 32-byte random salt is what stops a dictionary attack: without it anyone could hash the few
 * million likely host names and match them. Length prefixes keep salt and value from being re-split,
 * the label keeps a commitment from being read as any other hash of ours.
 */
public final class Commitment {

    public static final String LABEL = "clawstream-commitment/v1";
    /** Salts are 32 random bytes: as long as the hash, so guessing one is as hard as a preimage. */
    public static final int SALT_LENGTH = 32;

    private Commitment() {
    }

    public static Sha256Hash of(byte[] salt, JsonNode value) {
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("a salt is " + SALT_LENGTH + " bytes, got " + salt.length);
        }
        byte[] v = canonical(value);
        byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] hash = TreeHasher.sha256(label, new byte[]{0}, uint32(salt.length), salt, uint32(v.length), v);
        return new Sha256Hash(HexFormat.of().formatHex(hash));
    }

    static byte[] canonical(JsonNode value) {
        return CanonicalJson.bytes(value);
    }

    private static byte[] uint32(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }
}
