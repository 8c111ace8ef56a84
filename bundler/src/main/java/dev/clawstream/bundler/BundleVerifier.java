package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.EntryKind;
import dev.clawstream.bundler.chain.Opening;
import dev.clawstream.bundler.merkle.Frontier;
import dev.clawstream.bundler.merkle.MerkleProofs;
import dev.clawstream.bundler.merkle.MerkleTree;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.bundler.note.Checkpoint;
import dev.clawstream.bundler.note.NoteVerifier;
import dev.clawstream.bundler.note.SignedNote;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.crypto.Verifier;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies a proof bundle offline, knowing nothing but the bundler's public key (and, for the deeper
 * checks, the WPC files, the gateway keys and the token issuers' keys). Returns normally only when
 * every check passes; otherwise throws for the first that fails, in the order of docs/proof-bundle.md,
 * "Verifying a bundle": the seal's signature; each entry's index, content, commitments and chain link;
 * the entry count, Merkle root and chain head against the seal; the segment's start; every interim
 * checkpoint and its consistency with the seal; the gateway receipts' signatures; the WPC hash and
 * every decision, re-decided (token outcomes by {@link TokenReplay}). Immutable and thread-safe.
 */
public final class BundleVerifier {

    private static final Pattern COMMITMENT = Pattern.compile("sha256:[0-9a-f]{64}");

    private final Verifier bundlerKey;
    private final Map<Sha256Hash, CompiledPolicy> policies;
    private final Optional<TrustedKeys> gatewayKeys;
    private final Optional<TrustedKeys> issuerKeys;

    private BundleVerifier(Verifier bundlerKey, Map<Sha256Hash, CompiledPolicy> policies,
                           Optional<TrustedKeys> gatewayKeys, Optional<TrustedKeys> issuerKeys) {
        this.bundlerKey = Objects.requireNonNull(bundlerKey, "bundlerKey");
        this.policies = Map.copyOf(policies);
        this.gatewayKeys = gatewayKeys;
        this.issuerKeys = issuerKeys;
    }

    /**
     * What was checked beyond integrity, for the person reading the result.
     *
     * @param decisions             decision entries in the bundle
     * @param tokenRedecided        decisions whose token outcome was re-decided (with issuer keys)
     * @param tokenNotRedecided     decisions made under a token given in a segment not at hand
     */
    public record Verified(long decisions, long tokenRedecided, long tokenNotRedecided) {
    }

    /** Checks signature, chain, tree, checkpoints and commitments: what the bundler's key alone allows. */
    public static BundleVerifier forKey(Verifier bundlerKey) {
        return new BundleVerifier(bundlerKey, Map.of(), Optional.empty(), Optional.empty());
    }

    /**
     * Also checks the bundle's WPC hash against these WPCs and re-decides every decision under the one it
     * names. Needs the full bundle: a redacted copy hides the destinations decisions were made on.
     */
    public BundleVerifier withPolicies(Collection<CompiledPolicy> wpcs) {
        Map<Sha256Hash, CompiledPolicy> byHash = new LinkedHashMap<>();
        wpcs.forEach(p -> byHash.put(p.hash(), p));
        return new BundleVerifier(bundlerKey, byHash, gatewayKeys, issuerKeys);
    }

    /** Also checks every gateway receipt's signature against these keys. */
    public BundleVerifier withGatewayKeys(TrustedKeys keys) {
        return new BundleVerifier(bundlerKey, policies, Optional.of(keys), issuerKeys);
    }

    /**
     * Also re-decides every decision's token outcome (signature by a trusted issuer, expiry at the
     * event's time, revocation, agent, WPC pin) from the tokens the chain carries. Needs the full bundle.
     */
    public BundleVerifier withIssuerKeys(TrustedKeys keys) {
        return new BundleVerifier(bundlerKey, policies, gatewayKeys, Optional.of(keys));
    }

    /** Parses and verifies one bundle document (one segment). */
    public Verified verify(String documentJson) throws VerificationException {
        return verify(BundleDocument.parse(documentJson));
    }

    /**
     * Verifies one segment on its own. A later segment verifies alone too: the seal commits to the
     * frontier it starts from and to its first entry's link with the previous segment.
     *
     * @throws IllegalArgumentException when WPCs or issuer keys were given and the document is redacted
     */
    public Verified verify(BundleDocument doc) throws VerificationException {
        Optional<TokenReplay> tokens = issuerKeys.map(TokenReplay::new);
        long decisions = verify(doc, tokens);
        return verified(decisions, tokens);
    }

    private static Verified verified(long decisions, Optional<TokenReplay> tokens) {
        return new Verified(decisions, tokens.map(TokenReplay::redecided).orElse(0L),
                tokens.map(TokenReplay::notRedecided).orElse(0L));
    }

    private long verify(BundleDocument doc, Optional<TokenReplay> tokens) throws VerificationException {
        if ((!policies.isEmpty() || tokens.isPresent()) && doc.redacted()) {
            throw new IllegalArgumentException("re-deciding needs the full bundle: this copy is redacted");
        }
        Checkpoint seal = verifySeal(doc);
        List<byte[]> leafHashes = verifyEntries(doc);
        Frontier base = frontier(doc);
        MerkleTree tree = MerkleTree.after(base, leafHashes);
        long size = tree.size();
        requireEqual(Check.TREE_SIZE, "entry_count against first_index + entries", size, doc.entryCount());
        requireEqual(Check.TREE_SIZE, "entry_count against the seal's tree size", seal.size(), doc.entryCount());
        byte[] root = tree.root();
        MerkleProofs.requireRoot(Check.MERKLE_ROOT, "Merkle root of the entries against the seal", seal.rootHash(), root);
        requireEqual(Check.MERKLE_ROOT, "merkle_root against the entries' root", hex(root), doc.merkleRoot());
        Sha256Hash last = doc.entries().get(doc.entries().size() - 1).hash();
        requireEqual(Check.CHAIN_HEAD, "chain_head against the last entry's hash", last, doc.chainHead());
        verifyStart(doc, base);
        verifyCheckpoints(doc, seal);
        if (gatewayKeys.isPresent()) {
            verifyReceipts(doc);
        }
        return verifyDecisions(doc, tokens);
    }

    /**
     * Verifies every segment of one job, in order, and that each follows the one before: index, first
     * entry, the head it chains from, and the previous seal as its first checkpoint. No gap, no overlap.
     */
    public Verified verifySegments(List<BundleDocument> segments) throws VerificationException {
        if (segments.isEmpty()) {
            throw VerificationException.of(Check.SEGMENT, "no segments");
        }
        // One token replay for the whole job: a token given in one segment is in force in the next.
        Optional<TokenReplay> tokens = issuerKeys.map(TokenReplay::new);
        long decisions = 0;
        for (int k = 0; k < segments.size(); k++) {
            BundleDocument doc = segments.get(k);
            try {
                decisions += verify(doc, tokens);
            } catch (VerificationException e) {
                throw e.within(e.check(), -1, "segment " + k);
            }
            requireEqual(Check.SEGMENT, "segment_index of segment " + k, (long) k, (long) doc.segmentIndex());
            if (k == 0) {
                continue;
            }
            BundleDocument previous = segments.get(k - 1);
            requireEqual(Check.SEGMENT, "job_id of segment " + k, previous.jobId(), doc.jobId());
            requireEqual(Check.SEGMENT, "first_index of segment " + k + " against the entry_count of segment "
                    + (k - 1), previous.entryCount(), doc.firstIndex());
            requireEqual(Check.SEGMENT, "previous_head of segment " + k + " against the chain_head of segment "
                    + (k - 1), previous.chainHead(), doc.previousHead());
            requireEqual(Check.SEGMENT, "first checkpoint of segment " + k + " against the seal of segment " + (k - 1),
                    previous.seal(), doc.checkpoints().get(0).checkpoint());
        }
        return verified(decisions, tokens);
    }

    private Checkpoint verifySeal(BundleDocument doc) throws VerificationException {
        String suffix = "/" + Checkpoint.percentEncode(doc.jobId());
        if (!doc.origin().endsWith(suffix) || doc.origin().length() == suffix.length()) {
            throw VerificationException.mismatch(Check.ORIGIN, "origin of the job's log", "<prefix>" + suffix,
                    doc.origin());
        }
        requireEqual(Check.SEAL_SIGNATURE, "bundler_key_id against the key given", bundlerKey.keyId().toString(),
                doc.bundlerKeyId().toString());
        Checkpoint seal = signedCheckpoint(doc.seal(), doc.origin(), Check.SEAL_SIGNATURE, "seal");
        return seal;
    }

    private Checkpoint signedCheckpoint(String noteText, String origin, Check check, String what)
            throws VerificationException {
        SignedNote note = SignedNote.parse(noteText);
        new NoteVerifier(origin, bundlerKey).verify(note, check);
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        requireEqual(Check.ORIGIN, what + " origin", origin, checkpoint.origin());
        return checkpoint;
    }

    private List<byte[]> verifyEntries(BundleDocument doc) throws VerificationException {
        List<DocumentEntry> entries = doc.entries();
        List<byte[]> leafHashes = new ArrayList<>(entries.size());
        byte[] previous = doc.previousHead().bytes();
        for (int i = 0; i < entries.size(); i++) {
            DocumentEntry e = entries.get(i);
            long index = doc.firstIndex() + i;
            requireEqualAt(Check.ENTRY_INDEX, index, "index", index, e.index());
            byte[] leaf = ChainHash.leaf(previous, canonical(e.entry(), index));
            byte[] hash = TreeHasher.sha256(leaf);
            if (!Arrays.equals(hash, e.hash().bytes())) {
                throw VerificationException.mismatchAt(Check.CHAIN_LINK, index,
                        "hash = SHA-256(previous hash || canonical entry)", hex(hash), e.hash());
            }
            verifyContent(doc, e.entry(), index, i == entries.size() - 1);
            verifyCommitments(doc, e.entry(), index);
            leafHashes.add(TreeHasher.leaf(leaf));
            previous = hash;
        }
        return leafHashes;
    }

    /** The entry's canonical bytes; an entry that has none (a lone surrogate, an infinite number) is not ours. */
    static byte[] canonical(Entry entry, long index) throws VerificationException {
        try {
            return entry.canonicalBytes();
        } catch (IllegalArgumentException e) {
            throw VerificationException.at(Check.FORMAT, index, "entry has no RFC 8785 canonical form: " + e.getMessage());
        }
    }

    /** What may stand where: the header first, a terminal entry last and only last, this job's records only. */
    private static void verifyContent(BundleDocument doc, Entry entry, long index, boolean last)
            throws VerificationException {
        EntryKind kind = entry.kind().orElseThrow(() -> VerificationException.at(Check.ENTRY_CONTENT, index,
                "unknown kind '" + entry.text("kind").orElse("") + "'"));
        if ((index == 0) != (kind == EntryKind.HEADER)) {
            throw VerificationException.mismatchAt(Check.ENTRY_CONTENT, index, "kind",
                    index == 0 ? "header (the first entry of a job)" : "not a header", kind.json());
        }
        if (last != kind.terminal()) {
            throw VerificationException.mismatchAt(Check.ENTRY_CONTENT, index, "kind",
                    last ? "close or segment_end (the last entry of a segment)" : "not close or segment_end",
                    kind.json());
        }
        switch (kind) {
            case HEADER:
                requireEqualAt(Check.ENTRY_CONTENT, index, "header format", Entry.FORMAT, entry.text("format").orElse(null));
                requireEqualAt(Check.ENTRY_CONTENT, index, "header job_id", doc.jobId(), entry.text("job_id").orElse(null));
                break;
            case DECISION:
            case RECEIPT:
                requireEqualAt(Check.ENTRY_CONTENT, index, kind.json() + " job_id", doc.jobId(),
                        entry.at("/" + kind.json() + "/job_id").filter(JsonNode::isTextual).map(JsonNode::textValue)
                                .orElse(null));
                break;
            default:
                requireEqualAt(Check.ENTRY_CONTENT, index, kind.json() + " segment", doc.segmentIndex(),
                        entry.at("/segment").filter(JsonNode::isInt).map(JsonNode::intValue).orElse(-1));
                requireEqualAt(Check.ENTRY_CONTENT, index, "final_segment of a segment ending in " + kind.json(),
                        kind == EntryKind.CLOSE, doc.finalSegment());
                String reason = entry.text("reason").orElse("");
                boolean known = kind == EntryKind.CLOSE
                        ? reason.equals(SealReason.JOB_CLOSED.name()) || reason.equals(SealReason.IDLE_TIMEOUT.name())
                        : reason.equals(SealReason.SEGMENT_FULL.name());
                if (!known) {
                    throw VerificationException.at(Check.ENTRY_CONTENT, index, kind.json() + " reason '" + reason
                            + "' is not one a " + kind.json() + " entry has");
                }
        }
    }

    /**
     * Every committed pointer holds a {@code sha256:<hex>} commitment; in the full bundle every one is
     * opened, by an opening that hashes to it; in the redacted copy none is.
     */
    private static void verifyCommitments(BundleDocument doc, Entry entry, long index) throws VerificationException {
        JsonNode committed = entry.at("/committed").orElse(null);
        boolean recordEntry = entry.kind().map(k -> k == EntryKind.DECISION || k == EntryKind.RECEIPT).orElse(false);
        if (!recordEntry) {
            if (committed != null || !entry.openings().isEmpty()) {
                throw VerificationException.at(Check.ENTRY_CONTENT, index, "only decisions and receipts carry commitments");
            }
            return;
        }
        if (committed == null || !committed.isArray() || committed.size() > DocumentEntry.MAX_OPENINGS) {
            throw VerificationException.at(Check.ENTRY_CONTENT, index, "committed is not an array of at most "
                    + DocumentEntry.MAX_OPENINGS + " pointers");
        }
        Set<String> pointers = new HashSet<>();
        for (JsonNode p : committed) {
            if (!p.isTextual() || !pointers.add(p.textValue())) {
                throw VerificationException.at(Check.ENTRY_CONTENT, index, "committed pointer " + p
                        + " is not a string, or repeated");
            }
            Optional<JsonNode> value = entry.at(p.textValue());
            if (value.isEmpty() || !value.get().isTextual() || !COMMITMENT.matcher(value.get().textValue()).matches()) {
                throw VerificationException.at(Check.ENTRY_CONTENT, index, "committed pointer " + p.textValue()
                        + " does not hold a sha256:<hex> commitment");
            }
        }
        Map<String, Opening> openings = entry.openings();
        if (doc.redacted()) {
            if (!openings.isEmpty()) {
                throw VerificationException.at(Check.COMMITMENT, index, "a redacted bundle carries openings");
            }
            return;
        }
        if (!openings.keySet().equals(pointers)) {
            throw VerificationException.mismatchAt(Check.COMMITMENT, index, "opened pointers (a full bundle opens"
                    + " every commitment)", new java.util.TreeSet<>(pointers), openings.keySet());
        }
        for (Map.Entry<String, Opening> o : openings.entrySet()) {
            String commitment = entry.at(o.getKey()).orElseThrow().textValue();
            String opened;
            try {
                opened = o.getValue().commitment().toString();
            } catch (IllegalArgumentException e) {
                throw VerificationException.at(Check.FORMAT, index, "opening at " + o.getKey()
                        + " has no RFC 8785 canonical form: " + e.getMessage());
            }
            if (!opened.equals(commitment)) {
                throw VerificationException.mismatchAt(Check.COMMITMENT, index, "commitment at " + o.getKey()
                        + " of its opening", commitment, opened);
            }
        }
    }

    private static Frontier frontier(BundleDocument doc) throws VerificationException {
        try {
            return Frontier.of(doc.firstIndex(), doc.frontier().stream().map(Sha256Hash::bytes).toList());
        } catch (IllegalArgumentException e) {
            throw VerificationException.of(Check.FORMAT, "frontier of first_index " + doc.firstIndex() + ": "
                    + e.getMessage());
        }
    }

    /** Segment 0 starts at the job's genesis; a later one at the previous seal, its first checkpoint. */
    private void verifyStart(BundleDocument doc, Frontier base) throws VerificationException {
        if (doc.segmentIndex() == 0) {
            requireEqual(Check.SEGMENT, "first_index of segment 0", 0L, doc.firstIndex());
            requireEqual(Check.SEGMENT, "previous_head of segment 0 (the job's genesis hash)",
                    hex(ChainHash.genesis(doc.jobId())), doc.previousHead());
            return;
        }
        if (doc.firstIndex() == 0 || doc.checkpoints().isEmpty()) {
            throw VerificationException.of(Check.SEGMENT, "segment " + doc.segmentIndex()
                    + " must start after entry 0 and carry the previous segment's seal as its first checkpoint");
        }
        Checkpoint previous = signedCheckpoint(doc.checkpoints().get(0).checkpoint(), doc.origin(), Check.SEGMENT,
                "previous seal");
        requireEqual(Check.SEGMENT, "size of the previous seal against first_index", doc.firstIndex(), previous.size());
        MerkleProofs.requireRoot(Check.SEGMENT, "root of the frontier against the previous seal", previous.rootHash(),
                base.root());
    }

    private void verifyCheckpoints(BundleDocument doc, Checkpoint seal) throws VerificationException {
        long previousSize = 0;
        for (int i = 0; i < doc.checkpoints().size(); i++) {
            BundleDocument.CheckpointProof cp = doc.checkpoints().get(i);
            Checkpoint checkpoint;
            try {
                checkpoint = signedCheckpoint(cp.checkpoint(), doc.origin(), Check.CHECKPOINT, "checkpoint " + i);
            } catch (VerificationException e) {
                throw e.within(Check.CHECKPOINT, -1, "checkpoint " + i);
            }
            if (checkpoint.size() <= previousSize || checkpoint.size() >= seal.size()) {
                throw VerificationException.mismatch(Check.CHECKPOINT, "size of checkpoint " + i,
                        "above " + previousSize + " and below the seal's " + seal.size(), checkpoint.size());
            }
            previousSize = checkpoint.size();
            try {
                MerkleProofs.verifyConsistency(checkpoint.size(), seal.size(), checkpoint.rootHash(), seal.rootHash(),
                        cp.consistency().stream().map(Sha256Hash::bytes).toList());
            } catch (VerificationException e) {
                throw e.within(Check.CONSISTENCY_PROOF, -1, "checkpoint " + i + " (size " + checkpoint.size()
                        + ") against the seal (size " + seal.size() + ")");
            }
        }
    }

    /**
     * Every receipt entry, and every receipt a decision was made on (unless the decision itself says
     * the receipt failed its signature check), must carry a valid gateway signature.
     */
    private void verifyReceipts(BundleDocument doc) throws VerificationException {
        for (DocumentEntry e : doc.entries()) {
            EntryKind kind = e.entry().kind().orElseThrow();
            if (kind != EntryKind.RECEIPT && kind != EntryKind.DECISION) {
                continue;
            }
            if (doc.redacted() && !e.entry().committedPointers().isEmpty()) {
                continue; // the signed bytes may include a redacted field; only the full bundle can show them
            }
            GatewayReceipt receipt;
            if (kind == EntryKind.RECEIPT) {
                receipt = record(e, "receipt", GatewayReceipt.class);
            } else {
                Decision decision = record(e, "decision", Decision.class);
                if (!(decision.getInput() instanceof GatewayReceipt r) || decision.getReason() == ReasonCode.RECEIPT_SIGNATURE_INVALID
                        || decision.getReason() == ReasonCode.RECEIPT_KEY_UNKNOWN) {
                    continue;
                }
                receipt = r;
            }
            try {
                ReceiptSignature.verify(receipt, gatewayKeys.orElseThrow());
            } catch (SignatureInvalidException ex) {
                throw VerificationException.at(Check.RECEIPT_SIGNATURE, e.index(), (kind == EntryKind.DECISION
                        ? "the receipt decided on, " : "receipt ") + receipt.getReceiptId() + ": " + ex.getMessage());
            }
        }
    }

    /** The WPC hash and every decision re-decided, as far as the WPCs and issuer keys given allow; the count of decisions. */
    private long verifyDecisions(BundleDocument doc, Optional<TokenReplay> tokens) throws VerificationException {
        DocumentEntry first = doc.entries().get(0);
        if (!policies.isEmpty() && first.entry().kind().orElseThrow() == EntryKind.HEADER) {
            JsonNode wpc = first.entry().at("/wpc_hash").orElse(null);
            if (wpc != null && wpc.isTextual() && policies.keySet().stream().noneMatch(h -> h.toString().equals(wpc.textValue()))) {
                throw VerificationException.mismatchAt(Check.WPC_HASH, first.index(), "header wpc_hash against the WPC(s) given",
                        policies.keySet(), wpc.textValue());
            }
            JsonNode layers = first.entry().at("/wpc_layer_hashes").orElse(null);
            if (layers != null && layers.isArray()) {
                for (JsonNode layer : layers) {
                    if (policies.keySet().stream().noneMatch(h -> h.toString().equals(layer.asText()))) {
                        throw VerificationException.mismatchAt(Check.WPC_HASH, first.index(),
                                "header wpc_layer_hashes against the WPC(s) given", policies.keySet(), layer.asText());
                    }
                }
            }
        }
        DecisionReplay replay = new DecisionReplay(policies, gatewayKeys);
        long decisions = 0;
        for (DocumentEntry e : doc.entries()) {
            if (e.entry().kind().orElseThrow() != EntryKind.DECISION) {
                continue;
            }
            decisions++;
            if (policies.isEmpty() && tokens.isEmpty()) {
                continue;
            }
            Decision decision = record(e, "decision", Decision.class);
            if (tokens.isPresent()) {
                tokens.get().check(e.index(), decision);
            }
            if (!policies.isEmpty()) {
                replay.check(e.index(), decision);
            }
        }
        return decisions;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> T record(DocumentEntry e, String field,
                                                                               Class<T> type)
            throws VerificationException {
        try {
            return AvroJson.fromJson(e.entry().opened().get(field).toString(), type);
        } catch (AvroJsonException ex) {
            throw VerificationException.at(Check.ENTRY_CONTENT, e.index(), field + " is not a " + type.getSimpleName()
                    + ": " + ex.getMessage());
        }
    }

    private static void requireEqual(Check check, String what, Object expected, Object actual)
            throws VerificationException {
        if (!Objects.equals(expected, actual)) {
            throw VerificationException.mismatch(check, what, expected, actual);
        }
    }

    private static void requireEqualAt(Check check, long index, String what, Object expected, Object actual)
            throws VerificationException {
        if (!Objects.equals(expected, actual)) {
            throw VerificationException.mismatchAt(check, index, what, expected, actual);
        }
    }

    private static Sha256Hash hex(byte[] bytes) {
        return new Sha256Hash(HexFormat.of().formatHex(bytes));
    }
}
