package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.merkle.Frontier;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the bundler keeps per job between records: O(log n) whatever the job's length — the chain
 * head, the Merkle frontier of the whole job, the same two at the start of the current segment, the
 * previous segment's seal, and a few counters. The entries themselves are not here: the topology
 * accumulates the current segment's {@link DocumentEntry}s beside this state and hands them back to
 * {@link BundleSealer} when the segment is sealed. Immutable; {@link #toBytes()} is its store format.
 *
 * @param segmentFirstIndex   the index of the current segment's first entry
 * @param segmentPreviousHead the hash the current segment's first entry chains from
 * @param segmentBase         the frontier of the entries before the current segment
 * @param previousSeal        the previous segment's seal (signed note), which the current segment must
 *                            prove consistency with
 * @param head                the hash of the last entry appended
 * @param frontier            the frontier of every entry appended; its size is the next entry's index
 * @param segmentBytes        an upper estimate of the current segment's full document size
 * @param lastCheckpointSize  the tree size of the last checkpoint (or seal) signed
 */
public record BundleState(String jobId, String origin, int segmentIndex, long segmentFirstIndex,
                          Sha256Hash segmentPreviousHead, Frontier segmentBase, Optional<String> previousSeal,
                          Sha256Hash head, Frontier frontier, long segmentBytes, long lastCheckpointSize,
                          Instant lastCheckpointAt, Instant lastAppendAt, boolean closed) {

    private static final int VERSION = 1;
    private static final Set<String> FIELDS = Set.of("v", "job_id", "origin", "segment_index", "segment_first_index",
            "segment_previous_head", "segment_base", "previous_seal", "head", "frontier", "segment_bytes",
            "last_checkpoint_size", "last_checkpoint_at", "last_append_at", "closed");

    public BundleState {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(segmentPreviousHead, "segmentPreviousHead");
        Objects.requireNonNull(segmentBase, "segmentBase");
        Objects.requireNonNull(previousSeal, "previousSeal");
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(frontier, "frontier");
        Objects.requireNonNull(lastCheckpointAt, "lastCheckpointAt");
        Objects.requireNonNull(lastAppendAt, "lastAppendAt");
        if (segmentBase.size() != segmentFirstIndex || frontier.size() < segmentFirstIndex) {
            throw new IllegalArgumentException("segment base of " + segmentBase.size() + " leaves, first index "
                    + segmentFirstIndex + ", tree of " + frontier.size());
        }
    }

    /** The number of entries appended so far: the index the next entry gets. */
    public long size() {
        return frontier.size();
    }

    /** The number of entries in the current segment so far. */
    public long segmentSize() {
        return frontier.size() - segmentFirstIndex;
    }

    /** The store format: compact JSON, versioned. A few hundred bytes plus 65 per frontier hash. */
    public byte[] toBytes() {
        ObjectNode node = BundleJson.object();
        node.put("v", VERSION);
        node.put("job_id", jobId);
        node.put("origin", origin);
        node.put("segment_index", segmentIndex);
        node.put("segment_first_index", segmentFirstIndex);
        node.put("segment_previous_head", segmentPreviousHead.hex());
        putFrontier(node.putArray("segment_base"), segmentBase);
        node.put("previous_seal", previousSeal.orElse(null));
        node.put("head", head.hex());
        putFrontier(node.putArray("frontier"), frontier);
        node.put("segment_bytes", segmentBytes);
        node.put("last_checkpoint_size", lastCheckpointSize);
        node.put("last_checkpoint_at", lastCheckpointAt.toEpochMilli());
        node.put("last_append_at", lastAppendAt.toEpochMilli());
        node.put("closed", closed);
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a state this version wrote (a corrupt
     *                                  store is broken infrastructure, not data to skip)
     */
    public static BundleState fromBytes(byte[] bytes) {
        try {
            ObjectNode node = BundleJson.parseObject(new String(bytes, StandardCharsets.UTF_8), "bundle state");
            Fields.requireOnly(node, FIELDS, "state");
            if (node.path("v").asInt() != VERSION) {
                throw new IllegalArgumentException("bundle state version " + node.path("v") + ", this code reads "
                        + VERSION);
            }
            String where = "state";
            long first = Fields.nonNegativeLong(node, "segment_first_index", where);
            JsonNode seal = Fields.required(node, "previous_seal", where);
            return new BundleState(Fields.string(node, "job_id", where), Fields.string(node, "origin", where),
                    (int) Fields.nonNegativeLong(node, "segment_index", where), first,
                    new Sha256Hash(Fields.string(node, "segment_previous_head", where)),
                    frontier(node.get("segment_base"), first),
                    seal.isNull() ? Optional.empty() : Optional.of(seal.asText()),
                    new Sha256Hash(Fields.string(node, "head", where)),
                    frontier(node.get("frontier"), -1),
                    Fields.nonNegativeLong(node, "segment_bytes", where),
                    Fields.nonNegativeLong(node, "last_checkpoint_size", where),
                    Instant.ofEpochMilli(Fields.nonNegativeLong(node, "last_checkpoint_at", where)),
                    Instant.ofEpochMilli(Fields.nonNegativeLong(node, "last_append_at", where)),
                    Fields.bool(node, "closed", where));
        } catch (VerificationException e) {
            throw new IllegalArgumentException("not a bundle state: " + e.getMessage(), e);
        }
    }

    private static void putFrontier(ArrayNode array, Frontier f) {
        array.add(f.size());
        f.hashes().forEach(h -> array.add(HexFormat.of().formatHex(h)));
    }

    private static Frontier frontier(JsonNode array, long expectedSize) throws VerificationException {
        if (array == null || !array.isArray() || array.isEmpty() || !array.get(0).canConvertToLong()) {
            throw VerificationException.of(Check.FORMAT, "frontier is not [size, hex...]");
        }
        long size = array.get(0).longValue();
        if (expectedSize >= 0 && size != expectedSize) {
            throw VerificationException.mismatch(Check.FORMAT, "segment base size", expectedSize, size);
        }
        List<byte[]> hashes = new ArrayList<>();
        for (int i = 1; i < array.size(); i++) {
            hashes.add(HexFormat.of().parseHex(array.get(i).asText()));
        }
        return Frontier.of(size, hashes);
    }
}
