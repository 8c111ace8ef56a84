package dev.clawstream.topology.pipeline;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.BundleVerifier;
import dev.clawstream.bundler.DocumentEntry;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundler stopped in the middle of a job and started again on another machine (an empty state
 * directory, so its chain state and open segment are restored from their changelogs): the sealed
 * bundle verifies and holds every decision exactly once, in order — no gap, no duplicate.
 */
class BundlerRestartIT {

    private static final String PREFIX = "restart.";
    private static final int PER_HALF = 300;

    @TempDir
    Path dir;

    @Test
    void aBundleSealedAfterARestartMidJobHasEveryEntryOnce() throws Exception {
        Signer bundlerKey = Keys.generate();
        PipelineSettings settings = PipelineSettings.withDefaults(new EnforcerKeys(TrustedKeys.none(), TrustedKeys.none(),
                TrustedKeys.none())).withBundlerKey(bundlerKey);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                new TopicProvisioner(admin, PREFIX).createAll(Optional.of(2), Optional.of((short) 1));
            }
            SchemaRegistryClient registry = connection.registryClient();
            String decisions = ClawTopic.EGRESS_DECISIONS.topicName(PREFIX);
            String lifecycle = ClawTopic.JOBS_LIFECYCLE.topicName(PREFIX);
            AvroSerializer<Decision> decisionSerializer = new AvroSerializer<>(registry, true, false);

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(connection.producerProperties("restart-it"),
                    new StringSerializer(), new ByteArraySerializer());
                 Admin admin = Admin.create(connection.adminProperties())) {
                for (int i = 0; i < PER_HALF; i++) {
                    producer.send(new ProducerRecord<>(decisions, "job-1", decisionSerializer.serialize(decisions, decision(i))));
                }
                producer.flush();

                StageRunner first = StageRunner.start(List.of(Stage.BUNDLER), connection, dir.resolve("first"), settings,
                        new Properties());
                try {
                    assertThat(first.awaitRunning(Duration.ofSeconds(90))).isTrue();
                    await("the first instance committed part of the job", () -> committed(admin, decisions) > 0);
                } finally {
                    first.close();
                }
                for (int i = PER_HALF; i < 2 * PER_HALF; i++) {
                    producer.send(new ProducerRecord<>(decisions, "job-1", decisionSerializer.serialize(decisions, decision(i))));
                }
                producer.send(new ProducerRecord<>(lifecycle, "job-1", new AvroSerializer<JobEvent>(registry, true, false)
                        .serialize(lifecycle, JobEvent.newBuilder().setJobId("job-1").setType(JobEventType.CLOSED)
                                .setTime(Instant.now()).setReason("done").build())));
                producer.flush();

                try (StageRunner second = StageRunner.start(List.of(Stage.BUNDLER), connection, dir.resolve("second"),
                        settings, new Properties())) {
                    assertThat(second.awaitRunning(Duration.ofSeconds(90))).isTrue();
                    List<ProofBundle> segments = awaitSegments(connection, registry);
                    List<BundleDocument> docs = new ArrayList<>();
                    for (ProofBundle segment : segments) {
                        docs.add(BundleDocument.parse(segment.getBundle()));
                    }
                    BundleVerifier.forKey(bundlerKey.verifier()).verifySegments(docs);

                    List<String> ids = new ArrayList<>();
                    for (BundleDocument doc : docs) {
                        for (DocumentEntry entry : doc.entries()) {
                            entry.entry().at("/decision/decision_id").ifPresent(id -> ids.add(id.asText()));
                        }
                    }
                    List<String> expected = new ArrayList<>();
                    for (int i = 0; i < 2 * PER_HALF; i++) {
                        expected.add("d-" + i);
                    }
                    assertThat(ids).containsExactlyElementsOf(expected);
                    // header, decisions, one terminal entry per segment (segment ends and the close)
                    assertThat(docs.get(docs.size() - 1).entryCount()).isEqualTo(2L * PER_HALF + 1 + docs.size());
                }
            }
        }
    }

    private static long committed(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(PREFIX + "bundler")
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** Every segment of job-1, in order, once the final one is sealed. */
    private static List<ProofBundle> awaitSegments(KafkaConnection connection, SchemaRegistryClient registry) {
        String topic = ClawTopic.PROOF_BUNDLES.topicName(PREFIX);
        AvroDeserializer<ProofBundle> bundles = AvroDeserializer.specific(registry, ProofBundle.class);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(connection.consumerProperties("restart-reader"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.TreeMap<Integer, ProofBundle> segments = new java.util.TreeMap<>();
            Instant deadline = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(deadline)) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    ProofBundle bundle = bundles.deserialize(topic, record.value());
                    segments.put(bundle.getSegmentIndex(), bundle);
                }
                if (!segments.isEmpty() && segments.lastEntry().getValue().getFinalSegment()
                        && segments.size() == segments.lastKey() + 1) {
                    return new ArrayList<>(segments.values());
                }
            }
            throw new AssertionError("job-1 not sealed on " + topic + ": got segments " + segments.keySet());
        }
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(90);
        while (!condition.call()) {
            assertThat(Instant.now()).as("waiting for: " + what).isBefore(deadline);
        }
    }

    private static Decision decision(int i) {
        Instant t = Instant.parse("2026-11-23T10:00:00Z").plusMillis(i);
        return Decision.newBuilder().setDecisionId("d-" + i).setTime(t).setJobId("job-1").setAgentId("agent-1")
                .setInput(EgressEvent.newBuilder().setEventId("e-" + i).setTime(t).setAgentId("agent-1").setJobId("job-1")
                        .setSidecarId("envoy").setUrl("https://pypi.org/simple/pkg-" + i + "/").build())
                .setVerdict(Verdict.DENY).setReason(ReasonCode.NO_CST).setDetail("the job has no token (CST)").build();
    }
}
