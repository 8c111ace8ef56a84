package dev.clawstream.bundler;

import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.EntryKind;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.merkle.Frontier;
import dev.clawstream.bundler.merkle.MerkleTree;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.bundler.note.Checkpoint;
import dev.clawstream.bundler.note.NoteSigner;
import dev.clawstream.bundler.note.SignedNote;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.schemas.SealReason;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds and seals a job's proof bundle one record at a time, for the bundler topology to drive. Pure:
 * every call takes the job's {@link BundleState} and returns the next one; nothing is kept here but the
 * key and the configuration, so one sealer serves every job and every stream thread.
 *
 * <p>The topology, per job (docs/proof-bundle.md, "Producing bundles"):
 * <ol>
 *   <li>{@link #start} on the job's first record, {@link #append} for every decision and receipt: store
 *       the returned state, add the returned {@link DocumentEntry} to the job's segment, and add the
 *       interim checkpoint, when one was signed;</li>
 *   <li>{@link #checkpointIfDue} from a wall-clock punctuator, so a quiet job is still checkpointed;</li>
 *   <li>{@link #cutSegment} when an append reports the segment full, {@link #close} on the job's close
 *       event or when {@link #idle}: both take the segment's accumulated entries and checkpoints back
 *       and return the sealed documents; the topology then empties the segment.</li>
 * </ol>
 */
public final class BundleSealer {

    private final Signer key;
    private final SealerConfig config;

    public BundleSealer(Signer key, SealerConfig config) {
        this.key = Objects.requireNonNull(key, "key");
        this.config = Objects.requireNonNull(config, "config");
    }

    public SealerConfig config() {
        return config;
    }

    /** One entry added: the new state, the entry to accumulate, an interim checkpoint to accumulate if one was signed. */
    public record Appended(BundleState state, DocumentEntry entry, Optional<String> checkpoint, boolean segmentFull) {
    }

    /** An interim checkpoint signed for a quiet job. */
    public record Checkpointed(BundleState state, String checkpoint) {
    }

    /**
     * A sealed segment: the state to keep (the next segment's, or a closed job's), and the full and
     * redacted documents, each ready as a {@code ProofBundle} record.
     */
    public record Sealed(BundleState state, BundleDocument full, BundleDocument redacted) {
    }

    /** Starts a job's chain with its header entry (index 0, chained from the job's genesis hash). */
    public Appended start(Header header, Instant now) {
        String origin = Checkpoint.origin(config.originPrefix(), header.jobId());
        Sha256Hash genesis = hash(ChainHash.genesis(header.jobId()));
        BundleState empty = new BundleState(header.jobId(), origin, 0, 0, genesis, Frontier.empty(), Optional.empty(),
                genesis, Frontier.empty(), 0, 0, now, now, false);
        return add(empty, Entry.header(header), now);
    }

    /** Adds a decision or receipt entry. */
    public Appended append(BundleState state, Entry entry, Instant now) {
        EntryKind kind = entry.kind().orElseThrow(() -> new IllegalArgumentException("entry has no kind"));
        if (kind != EntryKind.DECISION && kind != EntryKind.RECEIPT) {
            throw new IllegalArgumentException("append takes decisions and receipts; " + kind
                    + " entries are written by start, cutSegment and close");
        }
        return add(state, entry, now);
    }

    /** An interim checkpoint when the time since the last one has passed and entries were added since. */
    public Optional<Checkpointed> checkpointIfDue(BundleState state, Instant now) {
        if (state.closed() || state.size() == state.lastCheckpointSize()
                || now.isBefore(state.lastCheckpointAt().plus(config.checkpointEvery()))) {
            return Optional.empty();
        }
        String note = sign(state.origin(), state.size(), state.frontier().root());
        return Optional.of(new Checkpointed(withCheckpoint(state, note, now), note));
    }

    /** True when nothing was appended for the idle timeout: the topology should {@link #close} with IDLE_TIMEOUT. */
    public boolean idle(BundleState state, Instant now) {
        return !state.closed() && !now.isBefore(state.lastAppendAt().plus(config.idleTimeout()));
    }

    /**
     * Seals the final segment: appends the close entry and signs the seal.
     *
     * @param reason      JOB_CLOSED or IDLE_TIMEOUT
     * @param detail      the close event's reason, when it gave one
     * @param time        when the job closed (the close event's time, or now for a timeout)
     * @param entries     the segment's accumulated entries, in order
     * @param checkpoints the segment's accumulated interim checkpoints, in order
     */
    public Sealed close(BundleState state, List<DocumentEntry> entries, List<String> checkpoints, SealReason reason,
                        Optional<String> detail, Instant time) {
        return seal(state, entries, checkpoints, Entry.close(state.segmentIndex(), reason, detail, time), time);
    }

    /** Seals the current segment because it is full; the returned state starts the next one. */
    public Sealed cutSegment(BundleState state, List<DocumentEntry> entries, List<String> checkpoints, Instant now) {
        return seal(state, entries, checkpoints, Entry.segmentEnd(state.segmentIndex(), now), now);
    }

    private Sealed seal(BundleState state, List<DocumentEntry> entries, List<String> checkpoints, Entry terminal,
                        Instant now) {
        requireSegment(state, entries);
        Appended last = add(state, terminal, now);
        BundleState after = last.state();
        List<DocumentEntry> all = new ArrayList<>(entries);
        all.add(last.entry());

        List<byte[]> leafHashes = new ArrayList<>(all.size());
        byte[] previous = state.segmentPreviousHead().bytes();
        for (DocumentEntry e : all) {
            byte[] leaf = ChainHash.leaf(previous, e.entry().canonicalBytes());
            previous = TreeHasher.sha256(leaf);
            if (!Arrays.equals(previous, e.hash().bytes())) {
                throw new IllegalStateException("accumulated entry " + e.index() + " of job " + state.jobId()
                        + " does not chain: its hash is " + e.hash() + ", its content hashes to " + hash(previous));
            }
            leafHashes.add(TreeHasher.leaf(leaf));
        }
        MerkleTree tree = MerkleTree.after(state.segmentBase(), leafHashes);
        long size = after.size();
        byte[] root = tree.root();
        String seal = sign(state.origin(), size, root);

        List<String> earlier = new ArrayList<>();
        state.previousSeal().ifPresent(earlier::add);
        earlier.addAll(checkpoints);
        List<BundleDocument.CheckpointProof> proofs = new ArrayList<>();
        for (String note : earlier) {
            long m = checkpointSize(note);
            proofs.add(new BundleDocument.CheckpointProof(note,
                    tree.consistencyProof(m, size).stream().map(BundleSealer::hash).toList()));
        }
        boolean closes = terminal.kind().orElseThrow() == EntryKind.CLOSE;
        BundleDocument full = new BundleDocument(state.jobId(), state.origin(), state.segmentIndex(), closes, false,
                keyId(), state.segmentFirstIndex(), state.segmentPreviousHead(),
                state.segmentBase().hashes().stream().map(BundleSealer::hash).toList(), all, size, after.head(),
                hash(root), proofs, seal);
        BundleState next = closes
                ? new BundleState(after.jobId(), after.origin(), after.segmentIndex(), after.segmentFirstIndex(),
                        after.segmentPreviousHead(), after.segmentBase(), after.previousSeal(), after.head(),
                        after.frontier(), after.segmentBytes(), size, now, after.lastAppendAt(), true)
                : new BundleState(after.jobId(), after.origin(), after.segmentIndex() + 1, size, after.head(),
                        after.frontier(), Optional.of(seal), after.head(), after.frontier(), 0, size, now,
                        after.lastAppendAt(), false);
        return new Sealed(next, full, full.withoutOpenings());
    }

    private Appended add(BundleState state, Entry entry, Instant now) {
        if (state.closed()) {
            throw new IllegalStateException("job " + state.jobId() + " is sealed; nothing more can be appended");
        }
        byte[] leaf = ChainHash.leaf(state.head().bytes(), entry.canonicalBytes());
        Sha256Hash hash = hash(TreeHasher.sha256(leaf));
        Frontier frontier = state.frontier().append(TreeHasher.leaf(leaf));
        DocumentEntry documentEntry = new DocumentEntry(state.size(), hash, entry);
        long bytes = state.segmentBytes() + documentEntry.toJsonText().getBytes(StandardCharsets.UTF_8).length + 1;
        BundleState next = new BundleState(state.jobId(), state.origin(), state.segmentIndex(),
                state.segmentFirstIndex(), state.segmentPreviousHead(), state.segmentBase(), state.previousSeal(), hash,
                frontier, bytes, state.lastCheckpointSize(), state.lastCheckpointAt(), now, false);
        Optional<String> checkpoint = Optional.empty();
        boolean dueByCount = next.size() - next.lastCheckpointSize() >= config.checkpointEveryEntries();
        boolean dueByTime = !now.isBefore(next.lastCheckpointAt().plus(config.checkpointEvery()));
        if (!entry.kind().orElseThrow().terminal() && (dueByCount || dueByTime)) {
            String note = sign(next.origin(), next.size(), frontier.root());
            checkpoint = Optional.of(note);
            next = withCheckpoint(next, note, now);
        }
        return new Appended(next, documentEntry, checkpoint, next.segmentBytes() >= config.cutAtBytes());
    }

    /**
     * The state after an interim checkpoint: its note and the consistency proof the seal will carry for it
     * count against the segment's size (at most two hashes per tree level, 74 bytes each in the document).
     */
    private static BundleState withCheckpoint(BundleState s, String note, Instant now) {
        long proofBytes = 74L * 2 * (64 - Long.numberOfLeadingZeros(s.size()));
        return new BundleState(s.jobId(), s.origin(), s.segmentIndex(), s.segmentFirstIndex(), s.segmentPreviousHead(),
                s.segmentBase(), s.previousSeal(), s.head(), s.frontier(),
                s.segmentBytes() + note.length() + proofBytes + 40, s.size(), now, s.lastAppendAt(), s.closed());
    }

    private static void requireSegment(BundleState state, List<DocumentEntry> entries) {
        if (entries.size() != state.segmentSize()) {
            throw new IllegalStateException("job " + state.jobId() + " segment " + state.segmentIndex() + " has "
                    + state.segmentSize() + " entries, " + entries.size() + " were handed back");
        }
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).index() != state.segmentFirstIndex() + i) {
                throw new IllegalStateException("job " + state.jobId() + ": entry " + i + " of the segment has index "
                        + entries.get(i).index() + ", want " + (state.segmentFirstIndex() + i));
            }
        }
    }

    private String sign(String origin, long size, byte[] root) {
        return new NoteSigner(origin, key).sign(new Checkpoint(origin, size, root).text()).format();
    }

    private static long checkpointSize(String note) {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text()).size();
        } catch (VerificationException e) {
            throw new IllegalStateException("an accumulated checkpoint is not one this sealer signed: "
                    + e.getMessage(), e);
        }
    }

    private KeyId keyId() {
        return key.keyId();
    }

    private static Sha256Hash hash(byte[] bytes) {
        return new Sha256Hash(HexFormat.of().formatHex(bytes));
    }
}
