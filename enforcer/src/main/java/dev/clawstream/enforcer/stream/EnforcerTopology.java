package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;

/**
 * The enforcer stage, top to bottom: the verified WPC catalog (a global store every instance holds in
 * full), each job's token and lifecycle (stores co-partitioned with the events by job id), then one
 * Decision per egress event and per gateway receipt to {@code egress.decisions}.
 */
public final class EnforcerTopology {

    public static final String WPC_CATALOG_STORE = "wpc-catalog";
    public static final String JOB_TOKENS_STORE = "job-tokens";
    public static final String CLOSED_JOBS_STORE = "closed-jobs";
    /** Per job, the signature of the token version last attached to one of its decisions. */
    public static final String ANNOUNCED_TOKENS_STORE = "announced-tokens";

    private EnforcerTopology() {
    }

    public static void buildInto(StreamsBuilder builder, EnforcerTopics topics, SchemaRegistryClient registry,
                                 EnforcerKeys keys, Clock clock) {
        Serde<String> keysSerde = Serdes.String();
        Serde<WpcRecord> wpcSerde = AvroSerdes.specific(WpcRecord.class, registry, true);
        Serde<CstRecord> cstSerde = AvroSerdes.specific(CstRecord.class, registry, true);
        Serde<JobEvent> jobSerde = AvroSerdes.specific(JobEvent.class, registry, true);
        Serde<EgressEvent> eventSerde = AvroSerdes.specific(EgressEvent.class, registry, true);
        Serde<GatewayReceipt> receiptSerde = AvroSerdes.specific(GatewayReceipt.class, registry, true);
        Serde<Decision> decisionSerde = AvroSerdes.specific(Decision.class, registry, true);

        // Every instance needs every WPC (any job may name any policy): a global store, rebuilt from the
        // compacted topic, so its changelog is the topic itself.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WPC_CATALOG_STORE), keysSerde, wpcSerde)
                        .withLoggingDisabled(),
                topics.wpcRegistry(), Consumed.with(keysSerde, wpcSerde).withName("wpc-registry"),
                () -> new WpcCatalogUpdater(keys.publishers()));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOB_TOKENS_STORE), keysSerde, cstSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CLOSED_JOBS_STORE), keysSerde, Serdes.Long()));
        // A decision carries the token only when the job's token changed since the last one that did: the
        // proof bundle gets every version it needs to re-decide token outcomes, at one copy per version.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ANNOUNCED_TOKENS_STORE), keysSerde, Serdes.ByteArray()));

        builder.stream(topics.cstBindings(), Consumed.with(keysSerde, cstSerde).withName("cst-bindings"))
                .process(() -> new JobStateWriter.Tokens(keys.issuers()), Named.as("bind-job-tokens"), JOB_TOKENS_STORE);
        builder.stream(topics.jobsLifecycle(), Consumed.with(keysSerde, jobSerde).withName("jobs-lifecycle"))
                .process(JobStateWriter.Lifecycle::new, Named.as("track-closed-jobs"), CLOSED_JOBS_STORE);

        builder.stream(topics.egressEvents(), Consumed.with(keysSerde, eventSerde).withName("egress-events"))
                .processValues(() -> new DecisionProcessor<EgressEvent>(keys, clock, (e, event) -> job -> e.decide(event, job)),
                        Named.as("decide-egress"), JOB_TOKENS_STORE, CLOSED_JOBS_STORE, ANNOUNCED_TOKENS_STORE)
                .to(topics.decisions(), Produced.with(keysSerde, decisionSerde).withName("egress-decisions"));
        builder.stream(topics.gatewayReceipts(), Consumed.with(keysSerde, receiptSerde).withName("gateway-receipts"))
                .processValues(() -> new DecisionProcessor<GatewayReceipt>(keys, clock, (e, receipt) -> job -> e.decide(receipt, job)),
                        Named.as("decide-receipts"), JOB_TOKENS_STORE, CLOSED_JOBS_STORE, ANNOUNCED_TOKENS_STORE)
                .to(topics.decisions(), Produced.with(keysSerde, decisionSerde).withName("receipt-decisions"));
    }
}
