package dev.clawstream.bundler.note;

import java.util.Base64;
import java.util.Optional;

/**
 * Standard base64 (RFC 4648 section 4, padded) read strictly: a text is accepted only when it is the
 * one encoding of its bytes. Java's decoder also takes unpadded text and non-zero trailing bits; two
 * spellings of one signature or hash would let a note be altered without altering what it says.
 */
public final class Base64Strict {

    private Base64Strict() {
    }

    public static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** The bytes, or empty when {@code text} is not the canonical padded encoding of any bytes. */
    public static Optional<byte[]> decode(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return encode(bytes).equals(text) ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
