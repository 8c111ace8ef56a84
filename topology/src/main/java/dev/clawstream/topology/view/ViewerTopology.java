package dev.clawstream.topology.view;

import dev.clawstream.alerter.detect.Observation;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.RecordRejectedException;
import dev.clawstream.enforcer.stream.WpcRecordCheck;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import dev.clawstream.schemas.serde.JsonSerdes;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The viewer: read models of the pipeline's output for Trust Pulse, the live view and
 * {@code egress stats|blocked}, kept in Kafka Streams stores and served by interactive queries, so a
 * page or a command never re-reads a topic. Runs as its own application ({@code <prefix>viewer}).
 *
 * <pre>
 * trust.pulse      ─► pulse index ─► viewer-pulse-bundles (job#segment → redacted bundle)
 *                                   viewer-pulse-jobs    (job → summary over its segments)
 * wpc.registry     ─► wpc index   ─► viewer-wpcs          (hash → WPC record)
 * egress.decisions ─► traffic     ─► viewer-agent-minutes     (agent, 1-minute windows → counts)
 *                                   viewer-destination-hours (agent + destination, 1-hour windows → stats)
 * alerts           ─► recent      ─► viewer-recent-alerts (time|id → alert, the latest per task) + live feed
 * deadletter       ─► count       ─► viewer-deadletters   (stage → count)
 * </pre>
 *
 * Windows are keyed by the record's own (event) time. Nothing here repartitions: the same agent's
 * decisions may sit in several partitions' stores, and {@link ViewerQueries} sums over all of them.
 */
public final class ViewerTopology {

    public static final String PULSE_BUNDLES = "viewer-pulse-bundles";
    public static final String PULSE_JOBS = "viewer-pulse-jobs";
    public static final String WPCS = "viewer-wpcs";
    public static final String AGENT_MINUTES = "viewer-agent-minutes";
    public static final String DESTINATION_HOURS = "viewer-destination-hours";
    public static final String RECENT_ALERTS = "viewer-recent-alerts";
    public static final String DEADLETTERS = "viewer-deadletters";

    public static final Duration MINUTE = Duration.ofMinutes(1);
    public static final Duration HOUR = Duration.ofHours(1);
    /** Alerts kept per task for a page that opens after they fired. */
    static final int RECENT_ALERTS_KEPT = 200;
    /** Separates agent and destination in the destination store's key; cannot occur in either. */
    static final char KEY_SEPARATOR = '\u001f';

    private ViewerTopology() {
    }

    /**
     * @param publishers whose WPCs are shown: a record that fails {@link WpcRecordCheck} (forged, misfiled)
     *                   is left out, as the enforcer leaves it out
     * @param retention how long windowed traffic is kept ({@code egress stats --last} can look back this far)
     * @param alertFeed told of every alert as it is read (the live view's server-sent events); may repeat
     *                  one after a rebalance, so receivers de-duplicate by alert id
     */
    public static void buildInto(StreamsBuilder builder, ViewerTopics topics, SchemaRegistryClient registry,
                                 TrustedKeys publishers, Duration retention, Consumer<Alert> alertFeed) {
        Objects.requireNonNull(alertFeed, "alertFeed");
        if (retention.compareTo(HOUR) < 0) {
            throw new IllegalArgumentException("viewer retention must be at least an hour, got " + retention);
        }
        Serde<String> keys = Serdes.String();
        Serde<ProofBundle> bundleSerde = AvroSerdes.specific(ProofBundle.class, registry, true);
        Serde<WpcRecord> wpcSerde = AvroSerdes.specific(WpcRecord.class, registry, true);
        Serde<Decision> decisionSerde = AvroSerdes.specific(Decision.class, registry, true);
        Serde<Alert> alertSerde = AvroSerdes.specific(Alert.class, registry, true);

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PULSE_BUNDLES), keys, bundleSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PULSE_JOBS), keys,
                JsonSerdes.of(JobSummary.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WPCS), keys, wpcSerde));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(AGENT_MINUTES, retention, MINUTE, false), keys,
                JsonSerdes.of(TrafficCounts.class)));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DESTINATION_HOURS, retention, HOUR, false), keys,
                JsonSerdes.of(DestinationStats.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RECENT_ALERTS), keys, alertSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLETTERS), keys,
                Serdes.Long()));

        builder.stream(topics.trustPulse(), Consumed.with(keys, bundleSerde).withName("trust-pulse"))
                .process(PulseIndex::new, PULSE_BUNDLES, PULSE_JOBS);
        builder.stream(topics.wpcRegistry(), Consumed.with(keys, wpcSerde).withName("wpc-registry"))
                .process(() -> new WpcIndex(new WpcRecordCheck(publishers)), WPCS);
        builder.stream(topics.decisions(), Consumed.with(keys, decisionSerde).withName("decisions"))
                .process(TrafficCounter::new, AGENT_MINUTES, DESTINATION_HOURS);
        builder.stream(topics.alerts(), Consumed.with(keys, alertSerde).withName("alerts"))
                .process(() -> new RecentAlerts(alertFeed), RECENT_ALERTS);
        // Dead letters are read as bytes: a dead letter the viewer cannot read must not itself be
        // dead-lettered (it would be read again, forever). It is counted as unreadable instead.
        Deserializer<DeadLetter> deadLetters = AvroSerdes.specific(DeadLetter.class, registry, false).deserializer();
        builder.stream(topics.deadletter(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("deadletter"))
                .process(() -> new DeadLetterCounter(deadLetters, topics.deadletter()), DEADLETTERS);
    }

    /** The pulse store's key: segments of one job sort together, in segment order. */
    public static String bundleKey(String jobId, int segment) {
        return jobId + "#" + String.format(Locale.ROOT, "%010d", segment);
    }

    static String destinationKey(String agent, String destination) {
        return agent + KEY_SEPARATOR + destination;
    }

    private static final class PulseIndex implements Processor<String, ProofBundle, Void, Void> {
        private KeyValueStore<String, ProofBundle> bundles;
        private KeyValueStore<String, JobSummary> jobs;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            bundles = context.getStateStore(PULSE_BUNDLES);
            jobs = context.getStateStore(PULSE_JOBS);
        }

        @Override
        public void process(Record<String, ProofBundle> record) {
            ProofBundle bundle = record.value();
            if (bundle == null) {
                return;
            }
            if (!bundle.getRedacted()) {
                // Trust Pulse serves redacted bundles only; a full one here is a misrouted record.
                throw new RecordRejectedException("trust.pulse carries redacted bundles only; job "
                        + bundle.getJobId() + " segment " + bundle.getSegmentIndex() + " is not redacted", null);
            }
            BundleSummary summary;
            try {
                summary = BundleSummary.of(bundle);
            } catch (IllegalArgumentException e) {
                throw new RecordRejectedException(e.getMessage(), e);
            }
            bundles.put(bundleKey(bundle.getJobId(), bundle.getSegmentIndex()), bundle);
            JobSummary known = jobs.get(bundle.getJobId());
            jobs.put(bundle.getJobId(), known == null ? JobSummary.of(summary) : known.with(summary));
        }
    }

    private static final class WpcIndex implements Processor<String, WpcRecord, Void, Void> {
        private final WpcRecordCheck check;
        private KeyValueStore<String, WpcRecord> wpcs;

        WpcIndex(WpcRecordCheck check) {
            this.check = check;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            wpcs = context.getStateStore(WPCS);
        }

        @Override
        public void process(Record<String, WpcRecord> record) {
            if (record.value() == null) {
                return;
            }
            try {
                check.verify(record.key(), record.value());
            } catch (WpcRecordCheck.UntrustedWpcException e) {
                // The enforcer's audit application dead-letters it with the reason; here it is just not shown.
                return;
            }
            wpcs.put(record.value().getWpcHash(), record.value());
        }
    }

    private static final class TrafficCounter implements Processor<String, Decision, Void, Void> {
        private WindowStore<String, TrafficCounts> agents;
        private WindowStore<String, DestinationStats> destinations;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            agents = context.getStateStore(AGENT_MINUTES);
            destinations = context.getStateStore(DESTINATION_HOURS);
        }

        @Override
        public void process(Record<String, Decision> record) {
            Decision decision = record.value();
            if (decision == null) {
                return;
            }
            Observation seen = Observation.of(decision);
            long time = seen.epochMillis();
            boolean denied = decision.getVerdict() == Verdict.DENY;
            boolean wouldDeny = !denied && decision.getWouldBeVerdict() == Verdict.DENY;
            TrafficCounts counts = new TrafficCounts(1, denied ? 0 : 1, denied ? 1 : 0, wouldDeny ? 1 : 0,
                    seen.bytesOut(), seen.receipt() ? 1 : 0);
            long minute = time - Math.floorMod(time, MINUTE.toMillis());
            TrafficCounts minuteSoFar = agents.fetch(seen.agentId(), minute);
            agents.put(seen.agentId(), minuteSoFar == null ? counts : minuteSoFar.plus(counts), minute);
            if (seen.receipt()) {
                return;
            }
            DestinationStats stats = DestinationStats.first(seen.destination(), seen.agentId(), !denied, denied,
                    wouldDeny, decision.getReason().name(), seen.bytesOut(), time);
            long hour = time - Math.floorMod(time, HOUR.toMillis());
            String key = destinationKey(seen.agentId(), seen.destination());
            DestinationStats hourSoFar = destinations.fetch(key, hour);
            destinations.put(key, hourSoFar == null ? stats : hourSoFar.plus(stats), hour);
        }
    }

    private static final class RecentAlerts implements Processor<String, Alert, Void, Void> {
        private final Consumer<Alert> feed;
        private KeyValueStore<String, Alert> recent;

        RecentAlerts(Consumer<Alert> feed) {
            this.feed = feed;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            recent = context.getStateStore(RECENT_ALERTS);
        }

        @Override
        public void process(Record<String, Alert> record) {
            Alert alert = record.value();
            if (alert == null) {
                return;
            }
            recent.put(String.format(Locale.ROOT, "%015d|%s", alert.getTime().toEpochMilli(), alert.getAlertId()), alert);
            trim();
            feed.accept(alert);
        }

        /** Keeps the newest {@link #RECENT_ALERTS_KEPT}: keys sort by time, so the oldest come first. */
        private void trim() {
            long size = recent.approximateNumEntries();
            if (size <= RECENT_ALERTS_KEPT + RECENT_ALERTS_KEPT / 4) {
                return;
            }
            List<String> all = new ArrayList<>();
            try (KeyValueIterator<String, Alert> it = recent.all()) {
                it.forEachRemaining(kv -> all.add(kv.key));
            }
            for (int i = 0; i < all.size() - RECENT_ALERTS_KEPT; i++) {
                recent.delete(all.get(i));
            }
        }
    }

    private static final class DeadLetterCounter implements Processor<byte[], byte[], Void, Void> {
        private final Deserializer<DeadLetter> deserializer;
        private final String topic;
        private KeyValueStore<String, Long> counts;

        DeadLetterCounter(Deserializer<DeadLetter> deserializer, String topic) {
            this.deserializer = deserializer;
            this.topic = topic;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            counts = context.getStateStore(DEADLETTERS);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            String stage;
            try {
                DeadLetter letter = deserializer.deserialize(topic, record.headers(), record.value());
                stage = letter == null ? "unreadable" : String.valueOf(letter.getStage());
            } catch (RuntimeException e) {
                stage = "unreadable";
            }
            Long sofar = counts.get(stage);
            counts.put(stage, sofar == null ? 1 : sofar + 1);
        }
    }
}
