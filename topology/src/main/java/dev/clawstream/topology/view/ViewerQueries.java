package dev.clawstream.topology.view;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.WpcRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Interactive queries over the viewer's stores ({@link ViewerTopology}). Every partition's store of this
 * instance is read and summed, since nothing is repartitioned by agent. Serves one instance's partitions:
 * run the viewer as a single instance per prefix (as {@code clawstream up} does).
 */
public final class ViewerQueries {

    /** How long a query waits for stores that are restoring or rebalancing before giving up. */
    private static final Duration STORE_WAIT = Duration.ofSeconds(10);

    private final KafkaStreams streams;

    public ViewerQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Every job with a sealed bundle, most recently active first. */
    public List<JobSummary> jobs() {
        List<JobSummary> jobs = new ArrayList<>();
        try (KeyValueIterator<String, JobSummary> it = this.<JobSummary>keyValue(ViewerTopology.PULSE_JOBS).all()) {
            it.forEachRemaining(kv -> jobs.add(kv.value));
        }
        jobs.sort(Comparator.comparing(JobSummary::lastTime, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(JobSummary::jobId));
        return jobs;
    }

    public Optional<JobSummary> job(String jobId) {
        return Optional.ofNullable(this.<JobSummary>keyValue(ViewerTopology.PULSE_JOBS).get(jobId));
    }

    public Optional<ProofBundle> bundle(String jobId, int segment) {
        return Optional.ofNullable(this.<ProofBundle>keyValue(ViewerTopology.PULSE_BUNDLES)
                .get(ViewerTopology.bundleKey(jobId, segment)));
    }

    /** Every WPC version published, by name then version. */
    public List<WpcRecord> wpcs() {
        List<WpcRecord> wpcs = new ArrayList<>();
        try (KeyValueIterator<String, WpcRecord> it = this.<WpcRecord>keyValue(ViewerTopology.WPCS).all()) {
            it.forEachRemaining(kv -> wpcs.add(kv.value));
        }
        wpcs.sort(Comparator.comparing(WpcRecord::getName).thenComparing(WpcRecord::getVersion)
                .thenComparing(WpcRecord::getWpcHash));
        return wpcs;
    }

    public Optional<WpcRecord> wpc(String hash) {
        return Optional.ofNullable(this.<WpcRecord>keyValue(ViewerTopology.WPCS).get(hash));
    }

    /** Counts per agent per minute in [from, to): the live view's chart. */
    public Map<String, TreeMap<Instant, TrafficCounts>> perAgentMinutes(Instant from, Instant to) {
        Map<String, TreeMap<Instant, TrafficCounts>> series = new TreeMap<>();
        ReadOnlyWindowStore<String, TrafficCounts> store = this.<TrafficCounts>window(ViewerTopology.AGENT_MINUTES);
        try (KeyValueIterator<Windowed<String>, TrafficCounts> it = store.fetchAll(from, to.minusMillis(1))) {
            it.forEachRemaining(kv -> series.computeIfAbsent(kv.key.key(), agent -> new TreeMap<>())
                    .merge(kv.key.window().startTime(), kv.value, TrafficCounts::plus));
        }
        return series;
    }

    /**
     * {@code egress stats}: totals over minutes in [from, to) and the busiest destinations over the
     * hours that overlap it (destinations are kept per hour).
     */
    public EgressStats stats(Instant from, Instant to, Optional<String> agent, int top) {
        TrafficCounts totals = TrafficCounts.NONE;
        for (Map.Entry<String, TreeMap<Instant, TrafficCounts>> e : perAgentMinutes(from, to).entrySet()) {
            if (agent.isEmpty() || agent.get().equals(e.getKey())) {
                for (TrafficCounts c : e.getValue().values()) {
                    totals = totals.plus(c);
                }
            }
        }
        List<DestinationStats> destinations = destinations(from, to, agent);
        List<DestinationStats> allowed = destinations.stream().filter(d -> d.allowed() > 0)
                .sorted(Comparator.comparingLong(DestinationStats::allowed).reversed()
                        .thenComparing(DestinationStats::destination)).limit(top).toList();
        List<DestinationStats> denied = destinations.stream().filter(d -> d.denied() > 0)
                .sorted(Comparator.comparingLong(DestinationStats::denied).reversed()
                        .thenComparing(DestinationStats::destination)).limit(top).toList();
        return new EgressStats(from, to, agent.orElse(null), totals, allowed, denied);
    }

    /** {@code egress blocked}: every destination denied (or, in monitor mode, that would be) in the range. */
    public List<DestinationStats> blocked(Instant from, Instant to, Optional<String> agent) {
        return destinations(from, to, agent).stream().filter(d -> d.denied() > 0 || d.wouldDeny() > 0)
                .sorted(Comparator.comparingLong((DestinationStats d) -> d.denied() + d.wouldDeny()).reversed()
                        .thenComparing(DestinationStats::destination)).toList();
    }

    /** Per destination, merged over agents (or one agent) and hours. */
    private List<DestinationStats> destinations(Instant from, Instant to, Optional<String> agent) {
        Map<String, DestinationStats> merged = new HashMap<>();
        ReadOnlyWindowStore<String, DestinationStats> store =
                this.<DestinationStats>window(ViewerTopology.DESTINATION_HOURS);
        // Hour windows that start before `from` but overlap it are included.
        Instant firstHour = from.minus(ViewerTopology.HOUR).plusMillis(1);
        try (KeyValueIterator<Windowed<String>, DestinationStats> it = store.fetchAll(firstHour, to.minusMillis(1))) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, DestinationStats> kv = it.next();
                String key = kv.key.key();
                String keyAgent = key.substring(0, key.indexOf(ViewerTopology.KEY_SEPARATOR));
                if (agent.isEmpty() || agent.get().equals(keyAgent)) {
                    merged.merge(kv.value.destination(), kv.value, DestinationStats::plus);
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** Dead letters per stage that wrote them ({@code unreadable} for ones the viewer could not read). */
    public Map<String, Long> deadLetters() {
        Map<String, Long> counts = new TreeMap<>();
        try (KeyValueIterator<String, Long> it = this.<Long>keyValue(ViewerTopology.DEADLETTERS).all()) {
            it.forEachRemaining(kv -> counts.merge(kv.key, kv.value, Long::sum));
        }
        return counts;
    }

    /** The newest alerts, newest first. */
    public List<Alert> recentAlerts(int limit) {
        Map<String, Alert> byKey = new TreeMap<>(Comparator.reverseOrder());
        try (KeyValueIterator<String, Alert> it = this.<Alert>keyValue(ViewerTopology.RECENT_ALERTS).all()) {
            it.forEachRemaining(kv -> byKey.put(kv.key, kv.value));
        }
        Map<String, Alert> byId = new LinkedHashMap<>();
        for (Alert alert : byKey.values()) {
            byId.putIfAbsent(alert.getAlertId(), alert);
            if (byId.size() == limit) {
                break;
            }
        }
        return new ArrayList<>(byId.values());
    }

    private <V> ReadOnlyKeyValueStore<String, V> keyValue(String name) {
        return store(name, QueryableStoreTypes.keyValueStore());
    }

    private <V> ReadOnlyWindowStore<String, V> window(String name) {
        return store(name, QueryableStoreTypes.windowStore());
    }

    private <T> T store(String name, QueryableStoreType<T> type) {
        long deadline = System.nanoTime() + STORE_WAIT.toNanos();
        while (true) {
            try {
                return streams.store(StoreQueryParameters.fromNameAndType(name, type));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw new ViewerUnavailableException("store " + name + " is not queryable yet ("
                            + streams.state() + "): " + e.getMessage(), e);
                }
                // Restoring or rebalancing: the store answers again once its task is assigned.
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new ViewerUnavailableException("interrupted waiting for store " + name, interrupted);
                }
            }
        }
    }
}
