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
import dev.clawstream.enforcer.wpc.WpcRecords;
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
import dev.clawstream.topology.cli.CliSession;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final CliSession CLI = CliSession.offline();

    @TempDir
    Path dir;

    @Test
    void decidesEventsAndDeadLettersPoisonThroughTheRealBroker() throws Exception {
        Signer publisher = Keys.generate();
        Signer issuer = Keys.generate();
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(
                "{\"name\":\"triage\",\"default\":\"deny\",\"allow\":{\"domains\":[{\"pattern\":\"api.openai.com\",\"ports\":[443]}]}}",
                "wpc.json");
        WpcRecord wpcRecord = WpcRecords.toRecord(wpc, WpcSignature.sign(publisher, wpc.document()), Instant.now());
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

                List<Decision> decisions = TopicReader.readAll(connection, ClawTopic.EGRESS_DECISIONS.topicName(PREFIX), 2,
                        AvroDeserializer.specific(registry, Decision.class));
                assertThat(decisions).extracting(Decision::getDecisionId).containsExactly("d-e-1", "d-e-2");
                assertThat(decisions).extracting(Decision::getReason)
                        .containsExactly(ReasonCode.ALLOWED_DOMAIN, ReasonCode.DEFAULT_DENY);
                List<DeadLetter> deadLetters = TopicReader.readAll(connection, ClawTopic.DEADLETTER.topicName(PREFIX), 1,
                        AvroDeserializer.specific(registry, DeadLetter.class));
                assertThat(deadLetters.get(0).getSourceTopic()).isEqualTo(eventTopic);
                assertThat(deadLetters.get(0).getStage()).isEqualTo("enforcer");
            }
        }
    }

    /**
     * The path a user takes, through the CLI's own commands: keys into a trust directory, {@code wpc
     * publish}, {@code cst issue} into {@code publish cst.bindings}, events through {@code publish}, and
     * the enforcer started from the trust directory as {@code run} starts it. A WPC signed by a key the
     * trust directory does not hold is dead-lettered by the audit application and never used.
     */
    @Test
    void decidesWhatTheCliPublishesAndDeadLettersAForgedWpc() throws Exception {
        Path trust = dir.resolve("trust");
        Path secrets = dir.resolve("secrets");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"name": "triage", "version": "1", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
                 "deny": {"ip_cidrs": ["169.254.169.254/32"]}}""");
        Path forged = dir.resolve("forged.json");
        Files.writeString(forged, """
                {"name": "triage", "version": "2", "default": "deny", "allow": {"domains": ["attacker.com"]}}""");
        CLI.run("keys", "generate", "--out", trust.resolve("publishers").toString(), "--name", "publisher");
        CLI.run("keys", "generate", "--out", trust.resolve("issuers").toString(), "--name", "issuer");
        CLI.run("keys", "generate", "--out", secrets.toString(), "--name", "intruder");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            CliSession cli = CliSession.against(broker.bootstrapServers(), registryServer.url(), PREFIX);
            cli.kafka("topics", "create", "--partitions", "2");
            String published = cli.kafka("wpc", "publish", policy.toString(),
                    "--key", trust.resolve("publishers/publisher.key.pem").toString());
            String hash = published.split(" ")[1];
            cli.kafka("wpc", "publish", forged.toString(),
                    "--key", secrets.resolve("intruder.key.pem").toString());
            Path token = dir.resolve("token.json");
            CLI.run("cst", "issue", "--job", "job-7", "--agent", "agent-7", "--wpc-name", "triage",
                    "--key", trust.resolve("issuers/issuer.key.pem").toString(), "--out", token.toString());
            cli.kafka("publish", "cst.bindings", "--input", token.toString());
            Path events = dir.resolve("events.jsonl");
            Files.writeString(events, String.join("\n",
                    eventJson("e-1", "https://api.openai.com/v1/chat/completions"),
                    eventJson("e-2", "https://attacker.com/collect"),
                    eventJson("e-3", "http://2852039166/latest/meta-data/")) + "\n");
            cli.kafka("publish", "egress.events", "--input", events.toString());

            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("streams"),
                    TrustDirectory.load(trust))) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                SchemaRegistryClient registry = connection.registryClient();
                List<Decision> decisions = TopicReader.readAll(connection, ClawTopic.EGRESS_DECISIONS.topicName(PREFIX), 3,
                        AvroDeserializer.specific(registry, Decision.class));
                assertThat(decisions).extracting(Decision::getDecisionId).containsExactly("d-e-1", "d-e-2", "d-e-3");
                assertThat(decisions).extracting(Decision::getReason).containsExactly(
                        ReasonCode.ALLOWED_DOMAIN, ReasonCode.DEFAULT_DENY, ReasonCode.DENIED_CIDR);
                // Made under the trusted v1 although the forged v2 of the same name was published later.
                assertThat(decisions).extracting(Decision::getWpcHash).containsOnly(hash);
                List<DeadLetter> deadLetters = TopicReader.readAll(connection, ClawTopic.DEADLETTER.topicName(PREFIX), 1,
                        AvroDeserializer.specific(registry, DeadLetter.class));
                assertThat(deadLetters.get(0).getSourceTopic()).isEqualTo(ClawTopic.WPC_REGISTRY.topicName(PREFIX));
                assertThat(deadLetters.get(0).getStage()).isEqualTo("enforcer-wpc-audit");
                assertThat(deadLetters.get(0).getError()).contains("signature");
            }
        }
    }

    private static String eventJson(String id, String url) {
        return "{\"event_id\":\"" + id + "\",\"time\":\"" + Instant.now() + "\",\"agent_id\":\"agent-7\","
                + "\"job_id\":\"job-7\",\"sidecar_id\":\"envoy\",\"url\":\"" + url + "\"}";
    }

    private static KafkaProducer<String, byte[]> producer(KafkaConnection connection) {
        return new KafkaProducer<>(connection.producerProperties("it"), new StringSerializer(), new ByteArraySerializer());
    }

    private static EgressEvent event(String id, String url) {
        return EgressEvent.newBuilder().setEventId(id).setTime(Instant.now()).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy").setUrl(url).build();
    }
}
