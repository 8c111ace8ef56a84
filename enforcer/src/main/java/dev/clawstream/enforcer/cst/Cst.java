package dev.clawstream.enforcer.cst;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.canonical.Timestamps;
import dev.clawstream.enforcer.crypto.KeyId;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A job-scoped token: which agent may run which job, with what intended scope, under which WPC
 * (pinned by hash, or the latest of a name), until when. Specified byte for byte in docs/cst.md.
 *
 * @param scope canonical JSON text of the job's intended capabilities, when the issuer shares it
 */
public record Cst(String tokenId, String jobId, String agentId, Optional<String> scope, Sha256Hash scopeHash,
                  List<Sha256Hash> pinnedWpcHashes, Optional<String> wpcName, List<String> attestations,
                  Instant issuedAt, Instant expiresAt, boolean revoked, Optional<Instant> revokedAt,
                  KeyId issuerKeyId, byte[] signature) {

    /** Domain separation: these bytes can never be mistaken for a signed WPC or a gateway receipt. */
    public static final String TYPE = "clawstream-cst/v1";

    /** Strict: a scope with duplicate keys or trailing text has no single meaning, so it cannot be signed. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public Cst {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(scopeHash, "scopeHash");
        pinnedWpcHashes = List.copyOf(pinnedWpcHashes);
        Objects.requireNonNull(wpcName, "wpcName");
        attestations = List.copyOf(attestations);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(issuerKeyId, "issuerKeyId");
        signature = signature.clone();
        // revoked without revoked_at is accepted as it is: refusing the record would lose the revocation.
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The bytes the issuer signs: RFC 8785 canonical JSON of every field but the signature, with the
     * scope embedded as JSON (so canonicalisation covers it) and times as RFC 3339 UTC milliseconds.
     * Revocation fields are included: revoking re-signs the token.
     *
     * @throws IllegalArgumentException when the scope is not one JSON value (duplicate keys, trailing
     *                                  text): such a token cannot verify
     */
    public byte[] signedBytes() {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", TYPE);
        node.put("token_id", tokenId);
        node.put("job_id", jobId);
        node.put("agent_id", agentId);
        node.set("scope", scope.map(Cst::parse).orElse(JSON.nullNode()));
        node.put("scope_hash", scopeHash.toString());
        ArrayNode pins = node.putArray("pinned_wpc_hashes");
        pinnedWpcHashes.forEach(h -> pins.add(h.toString()));
        if (wpcName.isPresent()) {
            node.put("wpc_name", wpcName.get());
        } else {
            node.putNull("wpc_name");
        }
        ArrayNode attested = node.putArray("attestations");
        attestations.forEach(attested::add);
        node.put("issued_at", format(issuedAt));
        node.put("expires_at", format(expiresAt));
        node.put("revoked", revoked);
        if (revokedAt.isPresent()) {
            node.put("revoked_at", format(revokedAt.get()));
        } else {
            node.putNull("revoked_at");
        }
        node.put("issuer_key_id", issuerKeyId.toString());
        return Jcs.canonicalize(node.toString());
    }

    /** The same token with another signature (issuing and revoking sign after building). */
    Cst withSignature(byte[] newSignature) {
        return new Cst(tokenId, jobId, agentId, scope, scopeHash, pinnedWpcHashes, wpcName, attestations, issuedAt,
                expiresAt, revoked, revokedAt, issuerKeyId, newSignature);
    }

    static String format(Instant instant) {
        return Timestamps.rfc3339Millis(instant);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            // Not the parser's message: it would quote the scope.
            throw new IllegalArgumentException("scope is not exactly one JSON value (or repeats a key)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cst c && tokenId.equals(c.tokenId) && jobId.equals(c.jobId) && agentId.equals(c.agentId)
                && scope.equals(c.scope) && scopeHash.equals(c.scopeHash) && pinnedWpcHashes.equals(c.pinnedWpcHashes)
                && wpcName.equals(c.wpcName) && attestations.equals(c.attestations) && issuedAt.equals(c.issuedAt)
                && expiresAt.equals(c.expiresAt) && revoked == c.revoked && revokedAt.equals(c.revokedAt)
                && issuerKeyId.equals(c.issuerKeyId) && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tokenId, jobId, agentId, issuedAt, revoked, issuerKeyId) * 31 + Arrays.hashCode(signature);
    }

    /** Names the token; the scope and the signature are left out (long, and not for logs). */
    @Override
    public String toString() {
        return "Cst[" + tokenId + ", job " + jobId + ", agent " + agentId + ", " + format(issuedAt) + ".."
                + format(expiresAt) + (revoked ? ", revoked" : "") + ", issuer " + issuerKeyId + "]";
    }
}
