package dev.clawstream.alerter.stream;

import dev.clawstream.alerter.detect.DomainName;
import dev.clawstream.alerter.detect.Finding;
import dev.clawstream.alerter.detect.Observation;
import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.stream.DetectorPlan.Partitioning;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The alerter stage, top to bottom: decisions in event time; the per-job detectors where they arrive
 * (keyed by job, beside each job's token binding); then the decisions re-keyed by agent for the per-agent
 * detectors, denied decisions gathered on one key for fleet-wide counts, and decisions re-keyed by
 * registrable domain for fleet-wide first contacts; each group's findings deduplicated next to its
 * state, and every alert written to {@code alerts} keyed by agent id.
 *
 * <p>Only the partitionings some rule needs are built: with no fleet rules, nothing is funnelled to one
 * partition.
 */
public final class AlerterTopology {

    /** Job id → the agent its token binds, from {@code cst.bindings}. */
    public static final String JOB_AGENTS_STORE = "job-agents";
    /** Open dedupe windows, one store per partitioning: {@code open-alerts-by-agent}, ... */
    public static final String OPEN_ALERTS_STORE_PREFIX = "open-alerts-by-";

    private AlerterTopology() {
    }

    public static void buildInto(StreamsBuilder builder, AlerterTopics topics, SchemaRegistryClient registry,
                                 RuleSet rules) {
        Serde<String> keys = Serdes.String();
        Serde<Decision> decisionSerde = AvroSerdes.specific(Decision.class, registry, true);
        Serde<Alert> alertSerde = AvroSerdes.specific(Alert.class, registry, true);

        Map<Partitioning, List<Rule>> byPartitioning = new EnumMap<>(Partitioning.class);
        for (Rule rule : rules.rules()) {
            byPartitioning.computeIfAbsent(DetectorPlan.partitioningOf(rule.condition()), p -> new ArrayList<>()).add(rule);
        }

        // Event time: the sidecar's or the gateway's clock, not the enforcer's (see DecisionTimestamps).
        KStream<String, Decision> decisions = builder.stream(topics.decisions(),
                Consumed.with(keys, decisionSerde).withTimestampExtractor(new DecisionTimestamps()).withName("decisions"));

        List<KStream<String, Alert>> alerts = new ArrayList<>();
        List<Rule> jobRules = byPartitioning.getOrDefault(Partitioning.JOB, List.of());
        if (!jobRules.isEmpty()) {
            List<String> extraStores = new ArrayList<>();
            if (jobRules.stream().anyMatch(r -> r.condition() instanceof Condition.UnexpectedAgent)) {
                builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOB_AGENTS_STORE),
                        keys, Serdes.String()));
                Serde<CstRecord> cstSerde = AvroSerdes.specific(CstRecord.class, registry, true);
                builder.stream(topics.cstBindings(), Consumed.with(keys, cstSerde).withName("cst-bindings"))
                        .process(JobAgentsWriter::new, Named.as("bind-job-agents"), JOB_AGENTS_STORE);
                extraStores.add(JOB_AGENTS_STORE);
            }
            alerts.add(detect(builder, decisions, Partitioning.JOB, jobRules, rules, alertSerde, extraStores));
        }

        List<Rule> agentRules = byPartitioning.getOrDefault(Partitioning.AGENT, List.of());
        if (!agentRules.isEmpty()) {
            // Per-agent state needs every decision of an agent in one task; jobs of one agent spread over partitions.
            KStream<String, Decision> byAgent = decisions
                    .selectKey((job, d) -> d.getAgentId(), Named.as("key-by-agent"))
                    .repartition(Repartitioned.with(keys, decisionSerde).withName("decisions-by-agent"));
            alerts.add(detect(builder, byAgent, Partitioning.AGENT, agentRules, rules, alertSerde, List.of()));
        }

        List<Rule> fleetRules = byPartitioning.getOrDefault(Partitioning.FLEET, List.of());
        if (!fleetRules.isEmpty()) {
            // A fleet-wide count is one key, so one partition: only what it counts (policy denials) goes there.
            KStream<String, Decision> denied = decisions
                    .filter((job, d) -> d != null && deniedByPolicy(d), Named.as("denied-only"))
                    .selectKey((job, d) -> Finding.FLEET, Named.as("key-fleet"))
                    .repartition(Repartitioned.with(keys, decisionSerde).withName("denied-fleet-wide"));
            alerts.add(detect(builder, denied, Partitioning.FLEET, fleetRules, rules, alertSerde, List.of()));
        }

        List<Rule> domainRules = byPartitioning.getOrDefault(Partitioning.DOMAIN, List.of());
        if (!domainRules.isEmpty()) {
            // Fleet-wide memory of domains scales by the domain: each partition remembers its share of them.
            KStream<String, Decision> byDomain = decisions
                    .flatMap((job, d) -> registrable(d).map(r -> List.of(KeyValue.pair(r, d)))
                            .orElse(List.of()), Named.as("key-by-domain"))
                    .repartition(Repartitioned.with(keys, decisionSerde).withName("decisions-by-domain"));
            alerts.add(detect(builder, byDomain, Partitioning.DOMAIN, domainRules, rules, alertSerde, List.of()));
        }

        alerts.stream().reduce((a, b) -> a.merge(b, Named.as("merge-" + alerts.indexOf(b))))
                .ifPresent(all -> all.to(topics.alerts(), Produced.with(keys, alertSerde).withName("alerts")));
    }

    private static KStream<String, Alert> detect(StreamsBuilder builder, KStream<String, Decision> decisions,
                                                 Partitioning partitioning, List<Rule> partitionRules, RuleSet rules,
                                                 Serde<Alert> alertSerde, List<String> extraStores) {
        String label = partitioning.name().toLowerCase(Locale.ROOT);
        DetectorPlan plan = new DetectorPlan(partitionRules, rules.grace());
        String openAlerts = OPEN_ALERTS_STORE_PREFIX + label;
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(openAlerts),
                Serdes.String(), alertSerde).withCachingEnabled());
        for (StoreBuilder<?> store : plan.stores()) {
            builder.addStateStore(store);
        }
        List<String> storeNames = new ArrayList<>(List.of(plan.storeNames()));
        storeNames.add(openAlerts);
        storeNames.addAll(extraStores);
        return decisions.process(() -> new DetectionProcessor(plan, rules, openAlerts), Named.as("detect-by-" + label),
                storeNames.toArray(String[]::new));
    }

    private static boolean deniedByPolicy(Decision d) {
        Verdict policy = d.getWouldBeVerdict() != null ? d.getWouldBeVerdict() : d.getVerdict();
        return policy == Verdict.DENY;
    }

    private static Optional<String> registrable(Decision d) {
        if (d == null || !(d.getInput() instanceof EgressEvent)) {
            return Optional.empty();
        }
        return Observation.of(d).domain().map(DomainName::registrable);
    }
}
