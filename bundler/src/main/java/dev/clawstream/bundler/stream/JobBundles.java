package dev.clawstream.bundler.stream;

import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.BundleState;
import dev.clawstream.bundler.DocumentEntry;
import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.chain.Redaction;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.enforcer.stream.RecordRejectedException;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.SealReason;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Every open job's bundle in one task: the sealer's small per-job state (chain head, Merkle frontier,
 * counters) and the open segment's entries and interim checkpoints, both in state stores whose
 * changelogs commit with the input offsets — under exactly-once a crash neither repeats nor loses an
 * entry. Sealed segments are handed to {@code emit}.
 */
final class JobBundles {

    private static final StringSerializer KEYS = new StringSerializer();

    private final BundleSealer sealer;
    private final TrustedKeys gateways;
    private final SaltSource salts;
    private final long maxEntryBytes;
    private final KeyValueStore<String, byte[]> states;
    private final KeyValueStore<String, String> segments;
    private final KeyValueStore<String, String> pendingCloses;
    private final WpcRedactions redactions;
    private final Duration closeGrace;
    /** Smallest stream time of any pending close (Long.MAX_VALUE when none): keeps the per-decision check O(1). */
    private long earliestPendingClose = Long.MAX_VALUE;

    JobBundles(BundleSealer sealer, TrustedKeys gateways, SaltSource salts, long maxSegmentBytes,
               KeyValueStore<String, byte[]> states, KeyValueStore<String, String> segments,
               KeyValueStore<String, String> pendingCloses, WpcRedactions redactions, Duration closeGrace) {
        this.sealer = sealer;
        this.gateways = gateways;
        this.salts = salts;
        // One entry may take at most an eighth of a segment, and segments are cut early enough that a
        // decision and its receipt always fit (SealerConfig.cutAtBytes).
        this.maxEntryBytes = sealer.config().maxEntryBytes();
        this.states = states;
        this.segments = segments;
        this.pendingCloses = pendingCloses;
        this.redactions = redactions;
        this.closeGrace = closeGrace;
        this.earliestPendingClose = earliestPending();
    }

    /**
     * Chains a decision into its job's bundle, and the receipt it decided when the receipt's signature
     * verifies (a forged receipt's decision already says so; as an entry it would make the bundle invalid).
     *
     * @throws RecordRejectedException when the job's bundle is already sealed, or the entry is too large
     *                                 for any segment: the record is dead-lettered, never dropped
     */
    void append(Decision decision, long streamTime, Instant now, Consumer<BundleSealer.Sealed> emit) {
        String jobId = decision.getJobId();
        Optional<BundleState> current = state(jobId);
        if (current.isPresent() && current.get().closed()) {
            throw new RecordRejectedException("job " + jobId + " is already sealed; decision "
                    + decision.getDecisionId() + " arrived after its close", null);
        }
        Redaction redaction = Redaction.destinations(salts).withFields(redactions.fieldsFor(decision.getWpcHash()));
        Entry entry = Entry.decision(decision, redaction);
        requireFits(entry, decision.getDecisionId());
        BundleState state = current.orElseGet(() -> keep(jobId, sealer.start(Header.fromDecision(decision), now)));
        state = keep(jobId, sealer.append(state, entry, now));
        if (decision.getInput() instanceof GatewayReceipt receipt && verifies(receipt)) {
            state = keep(jobId, sealer.append(state, Entry.receipt(receipt, redaction), now));
        }
        if (state.segmentBytes() >= sealer.config().cutAtBytes()) {
            OpenSegment segment = takeSegment(jobId);
            emit.accept(keepSealed(jobId, sealer.cutSegment(state, segment.entries(), segment.checkpoints(), now)));
        }
        if (streamTime > earliestPendingClose) {
            // The decisions of this partition have passed a close: every decision of that job is in.
            sealPending(p -> p.streamTime() < streamTime, emit);
        }
    }

    /**
     * Notes a job's close; the seal follows once the job's decisions are all in (see {@link PendingClose}).
     * A second close of the same job keeps the first.
     */
    void requestClose(String jobId, SealReason reason, Optional<String> detail, Instant time, long streamTime,
                      Instant now) {
        Optional<BundleState> state = state(jobId);
        if ((state.isPresent() && state.get().closed()) || pendingCloses.get(jobId) != null) {
            return;
        }
        pendingCloses.put(jobId, new PendingClose(reason, detail, time, streamTime, now.toEpochMilli()).toJson());
        earliestPendingClose = Math.min(earliestPendingClose, streamTime);
    }

    /** Seals the pending closes {@code due} selects, and forgets them. */
    private void sealPending(java.util.function.Predicate<PendingClose> due, Consumer<BundleSealer.Sealed> emit) {
        List<KeyValue<String, PendingClose>> sealNow = new ArrayList<>();
        try (KeyValueIterator<String, String> all = pendingCloses.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> kv = all.next();
                PendingClose pending = PendingClose.fromJson(kv.value);
                if (due.test(pending)) {
                    sealNow.add(KeyValue.pair(kv.key, pending));
                }
            }
        }
        for (KeyValue<String, PendingClose> kv : sealNow) {
            pendingCloses.delete(kv.key);
            close(kv.key, kv.value.reason(), kv.value.detail(), kv.value.time(), emit);
        }
        earliestPendingClose = earliestPending();
    }

    private long earliestPending() {
        long earliest = Long.MAX_VALUE;
        try (KeyValueIterator<String, String> all = pendingCloses.all()) {
            while (all.hasNext()) {
                earliest = Math.min(earliest, PendingClose.fromJson(all.next().value).streamTime());
            }
        }
        return earliest;
    }

    /** Seals a job's last segment; a job with no decisions has no bundle to seal. */
    void close(String jobId, SealReason reason, Optional<String> detail, Instant time,
               Consumer<BundleSealer.Sealed> emit) {
        Optional<BundleState> state = state(jobId);
        if (state.isEmpty() || state.get().closed()) {
            return;
        }
        OpenSegment segment = takeSegment(jobId);
        emit.accept(keepSealed(jobId, sealer.close(state.get(), segment.entries(), segment.checkpoints(), reason, detail,
                time)));
    }

    /** Seals pending closes whose grace has run out: their partition went quiet after the close. */
    void punctuateCloses(Instant now, Consumer<BundleSealer.Sealed> emit) {
        if (earliestPendingClose != Long.MAX_VALUE) {
            long cutoff = now.toEpochMilli() - closeGrace.toMillis();
            sealPending(p -> p.seenAt() <= cutoff, emit);
        }
    }

    /** Interim checkpoints for jobs that are due, and IDLE_TIMEOUT seals for jobs that went quiet. */
    void punctuate(Instant now, Consumer<BundleSealer.Sealed> emit) {
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                BundleState state = BundleState.fromBytes(kv.value);
                if (state.closed()) {
                    continue;
                }
                if (sealer.idle(state, now)) {
                    idle.add(kv.key);
                    continue;
                }
                sealer.checkpointIfDue(state, now).ifPresent(c -> {
                    states.put(kv.key, c.state().toBytes());
                    segments.put(SegmentKeys.checkpoint(kv.key, c.state().size()), c.checkpoint());
                });
            }
        }
        for (String jobId : idle) {
            close(jobId, SealReason.IDLE_TIMEOUT, Optional.of("no record for " + sealer.config().idleTimeout()), now,
                    emit);
        }
    }

    private BundleSealer.Sealed keepSealed(String jobId, BundleSealer.Sealed sealed) {
        states.put(jobId, sealed.state().toBytes());
        return sealed;
    }

    /** The job's open segment, read in one scan and removed from the store: it is about to be sealed. */
    private OpenSegment takeSegment(String jobId) {
        List<DocumentEntry> entries = new ArrayList<>();
        List<String> checkpoints = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, String> range = segments.prefixScan(SegmentKeys.jobPrefix(jobId), KEYS)) {
            while (range.hasNext()) {
                KeyValue<String, String> kv = range.next();
                keys.add(kv.key);
                if (SegmentKeys.isEntry(jobId, kv.key)) {
                    entries.add(parse(kv.value));
                } else {
                    checkpoints.add(kv.value);
                }
            }
        }
        keys.forEach(segments::delete);
        return new OpenSegment(entries, checkpoints);
    }

    private record OpenSegment(List<DocumentEntry> entries, List<String> checkpoints) {
    }

    private BundleState keep(String jobId, BundleSealer.Appended appended) {
        states.put(jobId, appended.state().toBytes());
        segments.put(SegmentKeys.entry(jobId, appended.entry().index()), appended.entry().toJsonText());
        appended.checkpoint().ifPresent(note -> segments.put(SegmentKeys.checkpoint(jobId, appended.state().size()), note));
        return appended.state();
    }

    private Optional<BundleState> state(String jobId) {
        byte[] bytes = states.get(jobId);
        return bytes == null ? Optional.empty() : Optional.of(BundleState.fromBytes(bytes));
    }

    private void requireFits(Entry entry, String id) {
        int size = entry.canonicalBytes().length;
        if (size > maxEntryBytes) {
            throw new RecordRejectedException("decision " + id + " is " + size + " bytes as a bundle entry; at most "
                    + maxEntryBytes + " fit a segment", null);
        }
    }

    private boolean verifies(GatewayReceipt receipt) {
        try {
            ReceiptSignature.verify(receipt, gateways);
            return true;
        } catch (SignatureInvalidException | IllegalArgumentException e) {
            return false;
        }
    }

    private static DocumentEntry parse(String json) {
        try {
            return DocumentEntry.parse(json);
        } catch (VerificationException e) {
            // Written by this class a moment ago; unreadable means the store is corrupt, not the input.
            throw new IllegalStateException("open segment entry unreadable: " + e.getMessage(), e);
        }
    }
}
