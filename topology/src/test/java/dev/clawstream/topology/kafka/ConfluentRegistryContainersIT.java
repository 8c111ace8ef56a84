package dev.clawstream.topology.kafka;

import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryException;
import dev.clawstream.schemas.serde.AvroSerdes;
import dev.clawstream.schemas.SampleRecords;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Our serde and REST client against the real Confluent Schema Registry and Apache Kafka images.
 * Skipped cleanly where no Docker engine exists (as on our build machines); runs wherever one does.
 */
@Testcontainers(disabledWithoutDocker = true)
class ConfluentRegistryContainersIT {

    static final Network NETWORK = Network.newNetwork();

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0")
            .withNetwork(NETWORK)
            .withListener("kafka:19092");

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("confluentinc/cp-schema-registry:7.9.0")
            .withNetwork(NETWORK)
            .dependsOn(KAFKA)
            .withExposedPorts(8081)
            .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
            .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
            .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
            .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));

    @Test
    void serdeAndClientWorkAgainstConfluentSchemaRegistry() {
        String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8081);
        KafkaConnection connection = new KafkaConnection(KAFKA.getBootstrapServers(), url, Optional.empty(),
                "tc.", java.util.Map.of());
        SchemaRegistryClient registry = connection.registryClient();
        var serde = AvroSerdes.specific(EgressEvent.class, registry, true);
        String topic = ClawTopic.EGRESS_EVENTS.topicName("tc.");
        EgressEvent event = SampleRecords.egressEvent();

        byte[] framed = serde.serializer().serialize(topic, event);

        assertThat(serde.deserializer().deserialize(topic, framed)).isEqualTo(event);
        assertThat(registry.subjects()).contains(topic + "-value");
        assertThat(registry.latest(topic + "-value").schema().getFullName()).isEqualTo(EgressEvent.getClassSchema().getFullName());
        Schema breaking = new Schema.Parser().parse(EgressEvent.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"required_new\",\"type\":\"string\"},"));
        assertThatThrownBy(() -> registry.register(topic + "-value", breaking))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.incompatibleSchema()).isTrue());
        assertThatThrownBy(() -> registry.schemaById(999_999))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
