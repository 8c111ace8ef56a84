package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.canonical.Timestamps;
import dev.clawstream.schemas.Decision;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bundle is about: the job, its agent, the WPC and token it runs under, when it started.
 *
 * @param wpcHash      empty when the job's first record named no WPC (no token, unknown policy)
 * @param cstScopeHash empty when the job had no token
 * @param layerHashes  every layer of the job's effective policy, organisation first, the job's WPC last
 */
public record Header(String jobId, String agentId, Optional<Sha256Hash> wpcHash, Optional<Sha256Hash> cstScopeHash,
                     Optional<String> tokenId, Instant startedAt, List<Sha256Hash> layerHashes) {

    public Header(String jobId, String agentId, Optional<Sha256Hash> wpcHash, Optional<Sha256Hash> cstScopeHash,
                  Optional<String> tokenId, Instant startedAt) {
        this(jobId, agentId, wpcHash, cstScopeHash, tokenId, startedAt, List.of());
    }

    public Header {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(wpcHash, "wpcHash");
        Objects.requireNonNull(cstScopeHash, "cstScopeHash");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(startedAt, "startedAt");
        layerHashes = List.copyOf(layerHashes);
    }

    /** A header from the job's first decision, when no lifecycle event started the job. */
    public static Header fromDecision(Decision d) {
        return new Header(d.getJobId(), d.getAgentId(), Optional.ofNullable(d.getWpcHash()).map(Sha256Hash::parse),
                Optional.ofNullable(d.getCstScopeHash()).map(Sha256Hash::parse), Optional.ofNullable(d.getTokenId()),
                d.getTime(), d.getWpcLayerHashes().stream().map(Sha256Hash::parse).toList());
    }

    ObjectNode toJson() {
        ObjectNode node = BundleJson.object();
        node.put("kind", EntryKind.HEADER.json());
        node.put("format", Entry.FORMAT);
        node.put("job_id", jobId);
        node.put("agent_id", agentId);
        node.put("wpc_hash", wpcHash.map(Sha256Hash::toString).orElse(null));
        node.put("cst_scope_hash", cstScopeHash.map(Sha256Hash::toString).orElse(null));
        node.put("token_id", tokenId.orElse(null));
        node.put("started_at", Timestamps.rfc3339Millis(startedAt));
        if (!layerHashes.isEmpty()) {
            ArrayNode layers = node.putArray("wpc_layer_hashes");
            layerHashes.forEach(h -> layers.add(h.toString()));
        }
        return node;
    }
}
