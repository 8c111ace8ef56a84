package dev.clawstream.bundler.stream;

import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The bundler stage, top to bottom: decisions and job lifecycle events (co-partitioned by job id, so a
 * job's records arrive in the order of its partition — the order of its chain) are sealed into
 * hash-chained, signed proof bundles per job; each sealed segment goes in full to {@code proof.bundles}
 * and redacted to {@code trust.pulse}.
 */
public final class BundlerTopology {

    public static final String BUNDLE_STATES_STORE = "bundle-states";
    public static final String OPEN_SEGMENTS_STORE = "open-segments";
    public static final String PENDING_CLOSES_STORE = "pending-closes";
    public static final String WPCS_STORE = "bundler-wpcs";
    /** How often interim checkpoints and idle timeouts are looked at (wall clock). */
    public static final Duration PUNCTUATE_EVERY = Duration.ofSeconds(10);
    /** How often pending closes are looked at (wall clock); cheap, the store holds only jobs closing now. */
    public static final Duration CLOSE_CHECK_EVERY = Duration.ofSeconds(1);
    /**
     * How long a close waits, on a partition where no later decision shows the job's decisions are all
     * in, before it seals anyway: longer than the enforcer's usual lag (p99 well under a second measured).
     */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);

    private BundlerTopology() {
    }

    /**
     * @param gateways whose receipt signatures make a receipt an entry of its own (a forged one stays
     *                 in the bundle as the decision that says so)
     */
    public static void buildInto(StreamsBuilder builder, BundlerTopics topics, SchemaRegistryClient registry,
                                 BundleSealer sealer, TrustedKeys gateways, Clock clock) {
        buildInto(builder, topics, registry, sealer, gateways, clock, DEFAULT_CLOSE_GRACE);
    }

    /**
     * @param closeGrace how long a job's close waits for stragglers when its partition is quiet (see
     *                   {@link PendingClose}); a decision arriving after the seal is dead-lettered
     */
    public static void buildInto(StreamsBuilder builder, BundlerTopics topics, SchemaRegistryClient registry,
                                 BundleSealer sealer, TrustedKeys gateways, Clock clock, Duration closeGrace) {
        Serde<String> keys = Serdes.String();
        Serde<Decision> decisionSerde = AvroSerdes.specific(Decision.class, registry, true);
        Serde<JobEvent> jobSerde = AvroSerdes.specific(JobEvent.class, registry, true);
        Serde<WpcRecord> wpcSerde = AvroSerdes.specific(WpcRecord.class, registry, true);
        Serde<ProofBundle> bundleSerde = AvroSerdes.specific(ProofBundle.class, registry, true);

        // The WPCs decisions name, for their data_handling.redact: hash-addressed, so a plain copy of the
        // registry topic serves every instance (WpcRedactions checks each document against its hash).
        builder.globalTable(topics.wpcRegistry(), Consumed.with(keys, wpcSerde).withName("bundler-wpc-registry"),
                Materialized.<String, WpcRecord, KeyValueStore<Bytes, byte[]>>as(WPCS_STORE).withKeySerde(keys)
                        .withValueSerde(wpcSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BUNDLE_STATES_STORE), keys,
                Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OPEN_SEGMENTS_STORE), keys,
                Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PENDING_CLOSES_STORE), keys,
                Serdes.String()));

        // One processor sees both inputs, so a close can wait for its job's decisions (PendingClose).
        KStream<String, SpecificRecord> decisions = builder
                .stream(topics.decisions(), Consumed.with(keys, decisionSerde).withName("decisions"))
                .mapValues(d -> (SpecificRecord) d, Named.as("decision-input"));
        KStream<String, SpecificRecord> lifecycle = builder
                .stream(topics.jobsLifecycle(), Consumed.with(keys, jobSerde).withName("jobs-lifecycle"))
                .mapValues(e -> (SpecificRecord) e, Named.as("lifecycle-input"));
        KStream<String, ProofBundle> sealed = decisions.merge(lifecycle, Named.as("job-records"))
                .process(() -> new JobRecordSealer(sealer, gateways, clock, closeGrace), Named.as("chain-and-seal"),
                        BUNDLE_STATES_STORE, OPEN_SEGMENTS_STORE, PENDING_CLOSES_STORE);

        // Keyed by job and segment so compaction keeps every segment; partitioned by job id alone so a
        // job's bundles share a partition, as everything else about the job does.
        StreamPartitioner<String, ProofBundle> byJob = (topic, key, value, partitions) ->
                Optional.of(Set.of(partitionOf(value.getJobId(), partitions)));
        sealed.split(Named.as("bundle-"))
                .branch((key, bundle) -> bundle.getRedacted(), Branched.withConsumer(redacted -> redacted.to(
                        topics.trustPulse(), Produced.with(keys, bundleSerde).withStreamPartitioner(byJob)
                                .withName("trust-pulse")), "redacted"))
                .defaultBranch(Branched.withConsumer(full -> full.to(topics.proofBundles(),
                        Produced.with(keys, bundleSerde).withStreamPartitioner(byJob).withName("proof-bundles")), "full"));
    }

    /**
     * The partition of a job's bundles: the one Kafka's default partitioner gives the job id, where
     * everything else about the job is ({@code bundles export} reads only that one).
     */
    public static int partitionOf(String jobId, int partitions) {
        return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Chains each decision into its job's bundle and seals on the job's close (once its decisions are
     * in), on a full segment, or when the job goes idle.
     */
    private static final class JobRecordSealer implements Processor<String, SpecificRecord, String, ProofBundle> {
        private final BundleSealer sealer;
        private final TrustedKeys gateways;
        private final Clock clock;
        private final Duration closeGrace;
        private ProcessorContext<String, ProofBundle> context;
        private JobBundles bundles;

        JobRecordSealer(BundleSealer sealer, TrustedKeys gateways, Clock clock, Duration closeGrace) {
            this.sealer = sealer;
            this.gateways = gateways;
            this.clock = clock;
            this.closeGrace = closeGrace;
        }

        @Override
        public void init(ProcessorContext<String, ProofBundle> context) {
            this.context = context;
            KeyValueStore<String, byte[]> states = context.getStateStore(BUNDLE_STATES_STORE);
            KeyValueStore<String, String> segments = context.getStateStore(OPEN_SEGMENTS_STORE);
            KeyValueStore<String, String> pending = context.getStateStore(PENDING_CLOSES_STORE);
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<WpcRecord>> wpcs = context.getStateStore(WPCS_STORE);
            this.bundles = new JobBundles(sealer, gateways, SaltSource.secure(),
                    states, segments, pending, new WpcRedactions(hash -> {
                        var stamped = wpcs.get(hash);
                        return stamped == null ? null : stamped.value();
                    }), closeGrace);
            // Wall clock: a quiet job must still get its checkpoints and, when abandoned, its seal; a
            // close on a quiet partition must still seal.
            context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME,
                    t -> bundles.punctuate(Instant.ofEpochMilli(t), this::emit));
            context.schedule(CLOSE_CHECK_EVERY, PunctuationType.WALL_CLOCK_TIME,
                    t -> bundles.punctuateCloses(Instant.ofEpochMilli(t), this::emit));
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            SpecificRecord value = record.value();
            if (value instanceof Decision decision) {
                bundles.append(decision, record.timestamp(), clock.instant(), this::emit);
            } else if (value instanceof JobEvent event && event.getType() == JobEventType.CLOSED) {
                bundles.requestClose(event.getJobId(), SealReason.JOB_CLOSED, Optional.ofNullable(event.getReason()),
                        event.getTime(), record.timestamp(), clock.instant());
            }
        }

        private void emit(BundleSealer.Sealed sealed) {
            long now = clock.millis();
            ProofBundle full = sealed.full().toRecord();
            ProofBundle redacted = sealed.redacted().toRecord();
            String key = SegmentKeys.bundleKey(full.getJobId(), full.getSegmentIndex());
            context.forward(new Record<>(key, full, now));
            context.forward(new Record<>(key, redacted, now));
        }
    }
}
