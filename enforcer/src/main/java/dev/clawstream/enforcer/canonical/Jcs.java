package dev.clawstream.enforcer.canonical;

import org.erdtman.jcs.JsonCanonicalizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * RFC 8785 JSON Canonicalization Scheme: the one byte sequence of a JSON value that is hashed and
 * signed (WPC documents, CST scopes and tokens, bundle entries). Uses the RFC authors' reference
 * implementation; the RFC's own vectors are checked in {@code JcsTest}.
 */
public final class Jcs {

    private Jcs() {
    }

    /** The canonical UTF-8 bytes of the JSON text {@code json}. */
    public static byte[] canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException e) {
            throw new IllegalArgumentException("not canonicalizable JSON: " + e.getMessage(), e);
        }
    }

    /** The canonical form as a string. */
    public static String canonicalString(String json) {
        return new String(canonicalize(json), StandardCharsets.UTF_8);
    }

    /** SHA-256 over the canonical bytes: how a WPC or a CST scope is addressed. */
    public static Sha256Hash hash(String json) {
        return Sha256Hash.of(canonicalize(json));
    }
}
