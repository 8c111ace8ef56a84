package dev.clawstream.topology.pipeline;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out is Kafka's: two enforcer instances share a 4-partition topic; one is stopped while events
 * are still arriving and undecided. Every event is decided exactly once, and each job's decisions come
 * out in the order of its events — the survivor takes over the stopped instance's partitions from its
 * last committed transaction.
 */
class EnforcerScaleOutIT {

    private static final String PREFIX = "scale.";
    private static final int PARTITIONS = 4;
    private static final int JOBS = 32; // every partition gets jobs (4 x 0.75^32 ~ 0.04% that one does not)
    private static final int PER_PHASE = 2_000;

    @TempDir
    Path dir;

    @Test
    void everyEventIsDecidedExactlyOnceAndInOrderPerJobWhenAnInstanceStops() throws Exception {
        Signer publisher = Keys.generate();
        Signer issuer = Keys.generate();
        EnforcerKeys keys = new EnforcerKeys(TrustedKeys.of(List.of(publisher.verifier())),
                TrustedKeys.of(List.of(issuer.verifier())), TrustedKeys.none());
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(
                "{\"name\":\"fleet\",\"default\":\"deny\",\"allow\":{\"domains\":[\"pypi.org\"]}}", "wpc.json");
        WpcRecord wpcRecord = WpcRecords.toRecord(wpc, WpcSignature.sign(publisher, wpc.document()), Instant.now());
        CstIssuer tokens = new CstIssuer(issuer, Clock.systemUTC());

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                new TopicProvisioner(admin, PREFIX).createAll(Optional.of(PARTITIONS), Optional.of((short) 1));
            }
            SchemaRegistryClient registry = connection.registryClient();
            String eventTopic = ClawTopic.EGRESS_EVENTS.topicName(PREFIX);
            String decisionTopic = ClawTopic.EGRESS_DECISIONS.topicName(PREFIX);
            AvroSerializer<EgressEvent> events = new AvroSerializer<>(registry, true, false);

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(connection.producerProperties("scale-it"),
                    new StringSerializer(), new ByteArraySerializer());
                 DecisionReader reader = new DecisionReader(connection, decisionTopic,
                         AvroDeserializer.specific(registry, Decision.class))) {
                String wpcTopic = ClawTopic.WPC_REGISTRY.topicName(PREFIX);
                String cstTopic = ClawTopic.CST_BINDINGS.topicName(PREFIX);
                producer.send(new ProducerRecord<>(wpcTopic, wpcRecord.getWpcHash(),
                        new AvroSerializer<WpcRecord>(registry, true, false).serialize(wpcTopic, wpcRecord))).get();
                AvroSerializer<CstRecord> cst = new AvroSerializer<>(registry, true, false);
                for (int j = 0; j < JOBS; j++) {
                    producer.send(new ProducerRecord<>(cstTopic, job(j), cst.serialize(cstTopic, CstRecords.toRecord(
                            tokens.issue(job(j), "agent-" + j % 4, "{}", List.of(wpc.document().hash()), Optional.empty(),
                                    List.of(), Duration.ofHours(1))))));
                }
                producer.flush();

                int[] nextSeq = new int[JOBS];
                Runnable phase = () -> {
                    for (int i = 0; i < PER_PHASE; i++) {
                        int j = i % JOBS;
                        String id = job(j) + "/" + nextSeq[j]++;
                        producer.send(new ProducerRecord<>(eventTopic, job(j), events.serialize(eventTopic,
                                EgressEvent.newBuilder().setEventId(id).setTime(Instant.now()).setAgentId("agent-" + j % 4)
                                        .setJobId(job(j)).setSidecarId("envoy").setUrl("https://pypi.org/simple/" + id)
                                        .build())));
                    }
                    producer.flush();
                };

                StageRunner a = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("a"), keys);
                try (StageRunner b = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("b"), keys)) {
                    assertThat(a.awaitRunning(Duration.ofSeconds(90))).isTrue();
                    assertThat(b.awaitRunning(Duration.ofSeconds(90))).isTrue();
                    phase.run();
                    awaitCondition("both instances own partitions and decisions flow", () ->
                            reader.poll() >= PER_PHASE / 4 && a.activeTaskCount() > 0 && b.activeTaskCount() > 0);

                    // Stop A while its share of phase 1 may still be undecided, and keep events coming.
                    CompletableFuture<Void> stopping = CompletableFuture.runAsync(a::close);
                    phase.run();
                    stopping.get();
                    phase.run();
                    // A last event per job: decisions of a partition are in order, so once every
                    // sentinel is decided any duplicate of an earlier event would already be visible.
                    for (int j = 0; j < JOBS; j++) {
                        String id = job(j) + "/" + nextSeq[j]++;
                        producer.send(new ProducerRecord<>(eventTopic, job(j), events.serialize(eventTopic,
                                EgressEvent.newBuilder().setEventId(id).setTime(Instant.now()).setAgentId("agent-" + j % 4)
                                        .setJobId(job(j)).setSidecarId("envoy").setUrl("https://attacker.com/" + id)
                                        .build())));
                    }
                    producer.flush();
                    int expected = 3 * PER_PHASE + JOBS;
                    awaitCondition("every event decided", () -> reader.poll() >= expected);
                    assertThat(b.activeTaskCount()).as("the survivor took over every partition").isGreaterThanOrEqualTo(PARTITIONS);

                    List<Decision> decided = reader.decisions();
                    assertThat(decided).hasSize(expected);
                    assertThat(decided).extracting(Decision::getDecisionId).doesNotHaveDuplicates();
                    Map<String, Integer> lastSeq = new HashMap<>();
                    for (Decision d : decided) {
                        int seq = Integer.parseInt(d.getDecisionId().substring(d.getDecisionId().indexOf('/') + 1));
                        int previous = lastSeq.getOrDefault(d.getJobId(), -1);
                        assertThat(seq).as("decision order of " + d.getJobId()).isEqualTo(previous + 1);
                        lastSeq.put(d.getJobId(), seq);
                        assertThat(d.getReason()).isEqualTo(((EgressEvent) d.getInput()).getUrl().contains("attacker")
                                ? ReasonCode.DEFAULT_DENY : ReasonCode.ALLOWED_DOMAIN);
                    }
                    assertThat(lastSeq).hasSize(JOBS);
                } finally {
                    a.close();
                }
            }
        }
    }

    private static String job(int j) {
        return "job-" + j;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
        }
    }

    /** Reads committed decisions from every partition, in partition order. */
    private static final class DecisionReader implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final String topic;
        private final AvroDeserializer<Decision> deserializer;
        private final List<Decision> decisions = new ArrayList<>();

        DecisionReader(KafkaConnection connection, String topic, AvroDeserializer<Decision> deserializer) {
            this.consumer = new KafkaConsumer<>(connection.consumerProperties("scale-reader"), new StringDeserializer(),
                    new ByteArrayDeserializer());
            this.topic = topic;
            this.deserializer = deserializer;
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Polls once (up to 200 ms) and returns how many decisions have been read so far. */
        int poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                decisions.add(deserializer.deserialize(topic, r.value()));
            }
            return decisions.size();
        }

        List<Decision> decisions() {
            return decisions;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
