package dev.clawstream.enforcer.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 digest written as {@code sha256:<64 lower-case hex>}: how WPC hashes, CST scope hashes and
 * key ids are spelled everywhere (topics, documents, the CLI). Parsing is strict so that two spellings
 * of one hash can never compare unequal.
 */
public record Sha256Hash(String hex) {

    public static final String PREFIX = "sha256:";

    public Sha256Hash {
        Objects.requireNonNull(hex, "hex");
        if (!isLowerHex64(hex)) {
            throw new IllegalArgumentException("not 64 lower-case hex digits: " + hex);
        }
    }

    // A loop, not a regex: hashes are parsed on every decision (token pins, key ids).
    private static boolean isLowerHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The digest of {@code data}. */
    public static Sha256Hash of(byte[] data) {
        return new Sha256Hash(HexFormat.of().formatHex(digest().digest(data)));
    }

    /** Parses {@code sha256:<hex>}; anything else (upper case, other algorithms, no prefix) is refused. */
    public static Sha256Hash parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("expected sha256:<64 hex>, got " + text);
        }
        return new Sha256Hash(text.substring(PREFIX.length()));
    }

    public byte[] bytes() {
        return HexFormat.of().parseHex(hex);
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
