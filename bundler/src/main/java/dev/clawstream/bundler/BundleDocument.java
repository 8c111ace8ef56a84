package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.merkle.MerkleProofs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.SealReason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One sealed segment of a job's proof bundle as a JSON document (docs/proof-bundle.md, "The bundle
 * document"): the entries with their chain hashes, what the segment starts from, the interim
 * checkpoints with their consistency proofs to the seal, and the seal. The full document carries the
 * openings of every commitment; the redacted one (Trust Pulse) none, and verifies against the same seal.
 *
 * <p>Nothing in the document outside the entries and the signed notes is trusted: the verifier
 * recomputes every hash, root and count and compares it with what the document states.
 */
public record BundleDocument(String jobId, String origin, int segmentIndex, boolean finalSegment, boolean redacted,
                             KeyId bundlerKeyId, long firstIndex, Sha256Hash previousHead, List<Sha256Hash> frontier,
                             List<DocumentEntry> entries, long entryCount, Sha256Hash chainHead, Sha256Hash merkleRoot,
                             List<CheckpointProof> checkpoints, String seal) {

    /** Caps on what a document may claim, checked before any work is done for it. */
    public static final int MAX_ENTRIES = 4_000_000;
    public static final int MAX_CHECKPOINTS = 100_000;
    public static final int MAX_FRONTIER = 64;

    private static final Set<String> FIELDS = Set.of("format", "job_id", "origin", "segment_index", "final_segment",
            "redacted", "bundler_key_id", "first_index", "previous_head", "frontier", "entries", "entry_count",
            "chain_head", "merkle_root", "checkpoints", "seal");
    private static final Set<String> CHECKPOINT_FIELDS = Set.of("checkpoint", "consistency");

    /**
     * An earlier signed checkpoint of the job's tree and the RFC 9162 consistency proof from it to the
     * seal's tree.
     */
    public record CheckpointProof(String checkpoint, List<Sha256Hash> consistency) {
        public CheckpointProof {
            Objects.requireNonNull(checkpoint, "checkpoint");
            consistency = List.copyOf(consistency);
        }
    }

    public BundleDocument {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(bundlerKeyId, "bundlerKeyId");
        Objects.requireNonNull(previousHead, "previousHead");
        frontier = List.copyOf(frontier);
        entries = List.copyOf(entries);
        Objects.requireNonNull(chainHead, "chainHead");
        Objects.requireNonNull(merkleRoot, "merkleRoot");
        checkpoints = List.copyOf(checkpoints);
        Objects.requireNonNull(seal, "seal");
    }

    /** The Trust Pulse copy: every opening removed, everything else as it is. */
    public BundleDocument withoutOpenings() {
        return new BundleDocument(jobId, origin, segmentIndex, finalSegment, true, bundlerKeyId, firstIndex,
                previousHead, frontier, entries.stream().map(DocumentEntry::redacted).toList(), entryCount, chainHead,
                merkleRoot, checkpoints, seal);
    }

    /** The Avro record for {@code proof.bundles} (or {@code trust.pulse} when redacted). */
    public ProofBundle toRecord() {
        Entry last = entries.get(entries.size() - 1).entry();
        ObjectNode terminal = last.body();
        return ProofBundle.newBuilder().setJobId(jobId).setSegmentIndex(segmentIndex).setFinalSegment(finalSegment)
                .setEntryCount(entryCount).setChainHead(chainHead.toString()).setMerkleRoot(merkleRoot.toString())
                .setBundlerKeyId(bundlerKeyId.toString()).setSealedAt(Instant.parse(terminal.path("time").asText()))
                .setSealReason(SealReason.valueOf(terminal.path("reason").asText())).setRedacted(redacted)
                .setBundle(toJson()).setSeal(seal).build();
    }

    public String toJson() {
        ObjectNode node = BundleJson.object();
        node.put("format", Entry.FORMAT);
        node.put("job_id", jobId);
        node.put("origin", origin);
        node.put("segment_index", segmentIndex);
        node.put("final_segment", finalSegment);
        node.put("redacted", redacted);
        node.put("bundler_key_id", bundlerKeyId.toString());
        node.put("first_index", firstIndex);
        node.put("previous_head", previousHead.toString());
        ArrayNode f = node.putArray("frontier");
        frontier.forEach(h -> f.add(h.toString()));
        ArrayNode e = node.putArray("entries");
        entries.forEach(entry -> e.add(entry.toJson()));
        node.put("entry_count", entryCount);
        node.put("chain_head", chainHead.toString());
        node.put("merkle_root", merkleRoot.toString());
        ArrayNode c = node.putArray("checkpoints");
        for (CheckpointProof cp : checkpoints) {
            ObjectNode o = c.addObject();
            o.put("checkpoint", cp.checkpoint());
            ArrayNode proof = o.putArray("consistency");
            cp.consistency().forEach(h -> proof.add(h.toString()));
        }
        node.put("seal", seal);
        return node.toString();
    }

    /** Reads a document strictly: every field present and of its type, no unknown field, counts capped. */
    public static BundleDocument parse(String json) throws VerificationException {
        ObjectNode node = BundleJson.parseObject(json, "bundle document");
        String where = "bundle";
        Fields.requireOnly(node, FIELDS, where);
        String format = Fields.string(node, "format", where);
        if (!format.equals(Entry.FORMAT)) {
            throw VerificationException.mismatch(Check.FORMAT, "bundle format", Entry.FORMAT, format);
        }
        KeyId keyId;
        try {
            keyId = KeyId.parse(Fields.string(node, "bundler_key_id", where));
        } catch (IllegalArgumentException e) {
            throw VerificationException.of(Check.FORMAT, "bundle.bundler_key_id is not sha256:<64 hex>");
        }
        long segment = Fields.nonNegativeLong(node, "segment_index", where);
        if (segment > Integer.MAX_VALUE) {
            throw VerificationException.of(Check.FORMAT, "bundle.segment_index is out of range");
        }
        JsonNode entriesNode = Fields.required(node, "entries", where);
        if (!entriesNode.isArray() || entriesNode.isEmpty() || entriesNode.size() > MAX_ENTRIES) {
            throw VerificationException.of(Check.FORMAT, "bundle.entries is not an array of 1 to " + MAX_ENTRIES
                    + " entries");
        }
        List<DocumentEntry> entries = new ArrayList<>(entriesNode.size());
        for (int i = 0; i < entriesNode.size(); i++) {
            entries.add(DocumentEntry.fromJson(entriesNode.get(i), i));
        }
        JsonNode checkpointsNode = Fields.required(node, "checkpoints", where);
        if (!checkpointsNode.isArray() || checkpointsNode.size() > MAX_CHECKPOINTS) {
            throw VerificationException.of(Check.FORMAT, "bundle.checkpoints is not an array of at most "
                    + MAX_CHECKPOINTS);
        }
        List<CheckpointProof> checkpoints = new ArrayList<>();
        for (int i = 0; i < checkpointsNode.size(); i++) {
            String at = "bundle.checkpoints[" + i + "]";
            JsonNode cp = checkpointsNode.get(i);
            Fields.requireOnly(cp, CHECKPOINT_FIELDS, at);
            checkpoints.add(new CheckpointProof(Fields.string(cp, "checkpoint", at),
                    Fields.hashes(cp, "consistency", at, MerkleProofs.MAX_CONSISTENCY_HASHES)));
        }
        return new BundleDocument(Fields.string(node, "job_id", where), Fields.string(node, "origin", where),
                (int) segment, Fields.bool(node, "final_segment", where), Fields.bool(node, "redacted", where), keyId,
                Fields.nonNegativeLong(node, "first_index", where), Fields.hash(node, "previous_head", where),
                Fields.hashes(node, "frontier", where, MAX_FRONTIER), entries,
                Fields.nonNegativeLong(node, "entry_count", where), Fields.hash(node, "chain_head", where),
                Fields.hash(node, "merkle_root", where), checkpoints, Fields.string(node, "seal", where));
    }
}
