package dev.clawstream.topology.kafka;

import dev.clawstream.schemas.registry.RestSchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Where Clawstream's Kafka and schema registry are, and how to reach them: the bootstrap servers, the
 * registry URL, the topic prefix, and any extra client settings a secured cluster needs
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}), passed to every client we create.
 */
public record KafkaConnection(String bootstrapServers, String registryUrl, Optional<String> registryUserInfo,
                              String topicPrefix, Map<String, String> clientOverrides) {

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(registryUserInfo, "registryUserInfo");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public KafkaConnection(String bootstrapServers, String registryUrl, String topicPrefix) {
        this(bootstrapServers, registryUrl, Optional.empty(), topicPrefix, Map.of());
    }

    /** A fresh registry client (each has its own cache). */
    public SchemaRegistryClient registryClient() {
        return new RestSchemaRegistryClient(registryUrl, registryUserInfo);
    }

    public Properties adminProperties() {
        Properties p = base();
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "clawstream-admin");
        return p;
    }

    /** A producer that never duplicates or reorders a record on retry, and waits for every replica. */
    public Properties producerProperties(String clientId) {
        Properties p = base();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return p;
    }

    /**
     * A consumer outside any group (callers assign partitions) that sees only committed records: the
     * pipeline writes with exactly-once transactions, and aborted records must never be shown.
     */
    public Properties consumerProperties(String clientId) {
        Properties p = base();
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return p;
    }

    private Properties base() {
        Properties p = new Properties();
        p.putAll(clientOverrides);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }
}
