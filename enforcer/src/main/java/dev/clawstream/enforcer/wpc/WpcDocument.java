package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A valid WPC as bytes: the RFC 8785 canonical form of the document as written, which is what the WPC
 * hash addresses and the publisher signs. Unknown to the model but part of the document (notes, intent,
 * audit flags) is covered by the hash too, so nothing an author wrote can change without a new hash.
 */
public final class WpcDocument {

    private final byte[] canonicalBytes;
    private final Sha256Hash hash;
    private final JsonNode json;

    WpcDocument(byte[] canonicalBytes, JsonNode json) {
        this.canonicalBytes = canonicalBytes.clone();
        this.hash = Sha256Hash.of(this.canonicalBytes);
        this.json = Objects.requireNonNull(json, "json").deepCopy();
    }

    /** {@code sha256:} + hex of SHA-256 over {@link #canonicalBytes()}: the WPC's identity. */
    public Sha256Hash hash() {
        return hash;
    }

    /** The RFC 8785 bytes (a copy): exactly what is hashed and signed. */
    public byte[] canonicalBytes() {
        return canonicalBytes.clone();
    }

    public String canonicalText() {
        return new String(canonicalBytes, StandardCharsets.UTF_8);
    }

    /** The parsed document (a copy, as Jackson trees are mutable). */
    public JsonNode json() {
        return json.deepCopy();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WpcDocument other && hash.equals(other.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "WpcDocument[" + hash + "]";
    }
}
