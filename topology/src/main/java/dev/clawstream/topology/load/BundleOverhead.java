package dev.clawstream.topology.load;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.BundleState;
import dev.clawstream.bundler.DocumentEntry;
import dev.clawstream.bundler.SealerConfig;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.EntryKind;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.chain.Redaction;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.decision.WpcCatalog;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.json.AvroJson;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What proof bundles cost in bytes on a fleet's traffic: the {@link FleetTraffic} mix decided by the
 * real enforcer (the job's token attached to its first decision, as the enforcer topology does),
 * chained and sealed by the real bundler per job, with its default segment size and interim
 * checkpoints, cut and sealed as the bundler topology does; then the sealed documents are measured as
 * they travel in {@code proof.bundles} (full) and {@code trust.pulse} (redacted). Offline: no broker.
 */
public final class BundleOverhead {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final SpecificDatumWriter<Decision> DECISION_WRITER = new SpecificDatumWriter<>(Decision.class);

    /**
     * @param entries           entries sealed, by kind
     * @param documents         sealed segment documents
     * @param fullBytes         bytes of every full document (compact JSON, as in a ProofBundle record)
     * @param redactedBytes     the same for the redacted copies
     * @param entryFullBytes    per kind, bytes of the entries as they stand in the full document
     *                          (index, hash, entry, openings)
     * @param entryRedactedBytes per kind, the same in the redacted copy
     * @param decisionAvroBytes bytes of the decisions as Avro binary (what {@code egress.decisions} carries,
     *                          without the 5-byte wire header)
     * @param decisionJsonBytes bytes of the decisions as natural JSON (what a decision entry embeds)
     */
    public record Report(Map<EntryKind, Long> entries, long documents, long fullBytes, long redactedBytes,
                         Map<EntryKind, Long> entryFullBytes, Map<EntryKind, Long> entryRedactedBytes,
                         long decisionAvroBytes, long decisionJsonBytes) {

        public long totalEntries() {
            return entries.values().stream().mapToLong(Long::longValue).sum();
        }

        public double fullPerEntry() {
            return (double) fullBytes / totalEntries();
        }

        public double redactedPerEntry() {
            return (double) redactedBytes / totalEntries();
        }
    }

    private BundleOverhead() {
    }

    /**
     * @param actions agent actions (a model call is two records: its egress event and its receipt)
     * @param jobs    jobs the fleet's actions are spread over
     * @param rate    actions per second fleet-wide, which sets the event times and so the interim
     *                checkpoints (one per job per minute)
     */
    public static Report measure(int actions, int jobs, int rate, long seed) {
        if (actions < 1 || jobs < 1 || rate < 1) {
            throw new IllegalArgumentException("actions, jobs and rate must be positive");
        }
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(FleetTraffic.WPC, "fleet-wpc.json");
        CompiledPolicy policy = CompiledPolicy.compile(wpc.wpc(), wpc.document().hash());
        Signer issuer = Keys.generate();
        Signer gateway = Keys.generate();
        Signer bundlerKey = Keys.generate();
        CstIssuer tokens = new CstIssuer(issuer, Clock.fixed(T0, ZoneOffset.UTC));
        Map<String, Cst> tokenOf = new LinkedHashMap<>();
        List<FleetTraffic.FleetJob> fleet = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            String agent = "agent-" + (j % Math.max(1, jobs / 4));
            Cst token = tokens.issue("job-" + j, agent, "{\"tools\":[\"http_get\",\"python\"]}", List.of(policy.hash()),
                    Optional.empty(), List.of(), Duration.ofDays(1));
            tokenOf.put(token.jobId(), token);
            fleet.add(new FleetTraffic.FleetJob(token.jobId(), agent, token.scopeHash().toString()));
        }
        Enforcer enforcer = new Enforcer(new PolicyEngine(new CstCheck(TrustedKeys.of(List.of(issuer.verifier())))),
                catalogOf(policy), TrustedKeys.of(List.of(gateway.verifier())), Clock.fixed(T0, ZoneOffset.UTC));
        BundleSealer sealer = new BundleSealer(bundlerKey, SealerConfig.defaults());
        Redaction redaction = Redaction.destinations(SaltSource.secure()).withFields(policy.wpc().dataHandling().redact());
        Tally tally = new Tally();
        Map<String, OpenJob> open = new LinkedHashMap<>();
        FleetTraffic traffic = new FleetTraffic(fleet, gateway, seed, "e-");
        long nanosPerAction = 1_000_000_000L / rate;
        Instant lastTick = T0;
        for (int i = 0; i < actions; i++) {
            Instant now = T0.plusNanos(i * nanosPerAction).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
            for (SpecificRecord record : traffic.next(now)) {
                String jobId = record instanceof EgressEvent e ? e.getJobId() : ((GatewayReceipt) record).getJobId();
                JobContext context = new JobContext(Optional.of(tokenOf.get(jobId)), false);
                Decision decision = record instanceof EgressEvent e ? enforcer.decide(e, context)
                        : enforcer.decide((GatewayReceipt) record, context);
                OpenJob job = open.get(jobId);
                if (job == null) {
                    // The enforcer attaches the token to the job's first decision (one token per job here).
                    decision.setCst(CstRecords.toRecord(tokenOf.get(jobId)));
                    job = new OpenJob(sealer, Header.fromDecision(decision), now);
                    open.put(jobId, job);
                }
                tally.decision(decision);
                job.append(Entry.decision(decision, redaction), now, tally);
                // Receipts are chained beside their decision, as the bundler topology does with those that verify.
                if (record instanceof GatewayReceipt receipt) {
                    job.append(Entry.receipt(receipt, redaction), now, tally);
                }
            }
            if (Duration.between(lastTick, now).getSeconds() >= 1) {
                lastTick = now;
                for (OpenJob job : open.values()) {
                    job.tick(now);
                }
            }
        }
        Instant end = T0.plusNanos(actions * nanosPerAction);
        for (OpenJob job : open.values()) {
            tally.sealed(job.close(end));
        }
        return tally.report();
    }

    private static WpcCatalog catalogOf(CompiledPolicy policy) {
        return new WpcCatalog() {
            @Override
            public Optional<CompiledPolicy> byHash(Sha256Hash hash) {
                return hash.equals(policy.hash()) ? Optional.of(policy) : Optional.empty();
            }

            @Override
            public Optional<CompiledPolicy> latestByName(String name) {
                return Optional.of(policy);
            }
        };
    }

    /** One job's bundle in the making, kept as the bundler topology keeps it: state, open segment, checkpoints. */
    private static final class OpenJob {
        private final BundleSealer sealer;
        private BundleState state;
        private final List<DocumentEntry> entries = new ArrayList<>();
        private final List<String> checkpoints = new ArrayList<>();

        OpenJob(BundleSealer sealer, Header header, Instant now) {
            this.sealer = sealer;
            accept(sealer.start(header, now), null);
        }

        void append(Entry entry, Instant now, Tally tally) {
            accept(sealer.append(state, entry, now), tally);
        }

        private void accept(BundleSealer.Appended appended, Tally tally) {
            state = appended.state();
            entries.add(appended.entry());
            appended.checkpoint().ifPresent(checkpoints::add);
            if (appended.segmentFull() && tally != null) {
                tally.sealed(take(sealer.cutSegment(state, List.copyOf(entries), List.copyOf(checkpoints),
                        state.lastAppendAt())));
            }
        }

        void tick(Instant now) {
            sealer.checkpointIfDue(state, now).ifPresent(c -> {
                state = c.state();
                checkpoints.add(c.checkpoint());
            });
        }

        BundleSealer.Sealed close(Instant now) {
            return take(sealer.close(state, List.copyOf(entries), List.copyOf(checkpoints), SealReason.JOB_CLOSED,
                    Optional.empty(), now));
        }

        private BundleSealer.Sealed take(BundleSealer.Sealed sealed) {
            state = sealed.state();
            entries.clear();
            checkpoints.clear();
            return sealed;
        }
    }

    private static final class Tally {
        private final Map<EntryKind, Long> entries = new EnumMap<>(EntryKind.class);
        private final Map<EntryKind, Long> entryFull = new EnumMap<>(EntryKind.class);
        private final Map<EntryKind, Long> entryRedacted = new EnumMap<>(EntryKind.class);
        private long documents;
        private long fullBytes;
        private long redactedBytes;
        private long decisionAvro;
        private long decisionJson;

        void decision(Decision d) {
            decisionAvro += avroBytes(d);
            decisionJson += AvroJson.toJson(d).toString().getBytes(StandardCharsets.UTF_8).length;
        }

        void sealed(BundleSealer.Sealed sealed) {
            documents++;
            fullBytes += utf8Length(sealed.full().toJson());
            redactedBytes += utf8Length(sealed.redacted().toJson());
            for (DocumentEntry e : sealed.full().entries()) {
                EntryKind kind = e.entry().kind().orElseThrow();
                entries.merge(kind, 1L, Long::sum);
                entryFull.merge(kind, (long) utf8Length(e.toJsonText()), Long::sum);
                entryRedacted.merge(kind, (long) utf8Length(e.redacted().toJsonText()), Long::sum);
            }
        }

        Report report() {
            return new Report(Map.copyOf(entries), documents, fullBytes, redactedBytes, Map.copyOf(entryFull),
                    Map.copyOf(entryRedacted), decisionAvro, decisionJson);
        }

        private static int utf8Length(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }

        private static int avroBytes(Decision d) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                DECISION_WRITER.write(d, encoder);
                encoder.flush();
                return out.size();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
