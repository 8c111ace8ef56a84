package dev.clawstream.topology.pipeline;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.DeadLetter;
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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enforcer stage as {@code up} and {@code run} start it: its own Kafka Streams application with
 * exactly-once, against the real embedded broker and registry. A signed WPC and token go in, events
 * come out as decisions, and a poison record is dead-lettered while the stream goes on.
 */
class EnforcerStageIT {

    private static final String PREFIX = "it.";

    @TempDir
    Path dir;

    @Test
    void decidesEventsAndDeadLettersPoisonThroughTheRealBroker() throws Exception {
        Signer publisher = Keys.generate();
        Signer issuer = Keys.generate();
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(
                "{\"name\":\"triage\",\"default\":\"deny\",\"allow\":{\"domains\":[{\"pattern\":\"api.openai.com\",\"ports\":[443]}]}}",
                "wpc.json");
        WpcRecord wpcRecord = WpcRecord.newBuilder().setWpcHash(wpc.document().hash().toString()).setName("triage")
                .setVersion("1").setDocument(wpc.document().canonicalText())
                .setPublisherKeyId(publisher.keyId().toString())
                .setSignature(ByteBuffer.wrap(WpcSignature.sign(publisher, wpc.document()).signature()))
                .setPublishedAt(Instant.now()).build();
        Cst token = new CstIssuer(issuer, Clock.systemUTC()).issue("job-1", "agent-1", "{}",
                List.of(wpc.document().hash()), Optional.empty(), List.of(), Duration.ofHours(1));
        EnforcerKeys keys = new EnforcerKeys(TrustedKeys.of(List.of(publisher.verifier())),
                TrustedKeys.of(List.of(issuer.verifier())), TrustedKeys.none());

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                new TopicProvisioner(admin, PREFIX).createAll(Optional.of(2), Optional.of((short) 1));
            }
            SchemaRegistryClient registry = connection.registryClient();
            String wpcTopic = ClawTopic.WPC_REGISTRY.topicName(PREFIX);
            String cstTopic = ClawTopic.CST_BINDINGS.topicName(PREFIX);
            String eventTopic = ClawTopic.EGRESS_EVENTS.topicName(PREFIX);
            try (KafkaProducer<String, byte[]> producer = producer(connection)) {
                producer.send(new ProducerRecord<>(wpcTopic, wpcRecord.getWpcHash(),
                        new AvroSerializer<WpcRecord>(registry, true, false).serialize(wpcTopic, wpcRecord))).get();
                producer.send(new ProducerRecord<>(cstTopic, "job-1",
                        new AvroSerializer<CstRecord>(registry, true, false).serialize(cstTopic, CstRecords.toRecord(token)))).get();
            }

            // Started after the policy and token are on their topics: the global WPC store is fully
            // restored before RUNNING, and timestamp order puts the token before the events.
            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("streams"), keys);
                 KafkaProducer<String, byte[]> producer = producer(connection)) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                AvroSerializer<EgressEvent> events = new AvroSerializer<>(registry, true, false);
                producer.send(new ProducerRecord<>(eventTopic, "job-1",
                        events.serialize(eventTopic, event("e-1", "https://api.openai.com/v1/chat")))).get();
                producer.send(new ProducerRecord<>(eventTopic, "job-1",
                        "{\"url\":\"https://attacker.com\"}".getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>(eventTopic, "job-1",
                        events.serialize(eventTopic, event("e-2", "https://attacker.com/collect")))).get();

                List<Decision> decisions = readAll(connection, ClawTopic.EGRESS_DECISIONS.topicName(PREFIX), 2,
                        AvroDeserializer.specific(registry, Decision.class));
                assertThat(decisions).extracting(Decision::getDecisionId).containsExactly("d-e-1", "d-e-2");
                assertThat(decisions).extracting(Decision::getReason)
                        .containsExactly(ReasonCode.ALLOWED_DOMAIN, ReasonCode.DEFAULT_DENY);
                List<DeadLetter> deadLetters = readAll(connection, ClawTopic.DEADLETTER.topicName(PREFIX), 1,
                        AvroDeserializer.specific(registry, DeadLetter.class));
                assertThat(deadLetters.get(0).getSourceTopic()).isEqualTo(eventTopic);
                assertThat(deadLetters.get(0).getStage()).isEqualTo("enforcer");
            }
        }
    }

    private static KafkaProducer<String, byte[]> producer(KafkaConnection connection) {
        return new KafkaProducer<>(connection.producerProperties("it"), new StringSerializer(), new ByteArraySerializer());
    }

    private static EgressEvent event(String id, String url) {
        return EgressEvent.newBuilder().setEventId(id).setTime(Instant.now()).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy").setUrl(url).build();
    }

    private static <T> List<T> readAll(KafkaConnection connection, String topic, int expected,
                                       AvroDeserializer<T> deserializer) {
        List<T> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(connection.consumerProperties("it-reader"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (values.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(deserializer.deserialize(topic, r.value())));
            }
        }
        assertThat(values).as("records on " + topic).hasSize(expected);
        return values;
    }
}
