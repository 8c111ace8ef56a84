package dev.clawstream.topology.embedded;

import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The local stack of {@code clawstream up}: a real KRaft broker with its data under the data
 * directory and, unless the user brings their own registry, the embedded schema registry whose state
 * lives in the broker's {@code _schemas} topic. Closing stops the registry before the broker it
 * writes to.
 */
public final class EmbeddedStack implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final Optional<EmbeddedSchemaRegistry> registry;
    private final String registryUrl;

    private EmbeddedStack(EmbeddedKafkaBroker broker, Optional<EmbeddedSchemaRegistry> registry, String registryUrl) {
        this.broker = broker;
        this.registry = registry;
        this.registryUrl = registryUrl;
    }

    /**
     * @param externalRegistryUrl a registry the user runs; when present the embedded one is not started
     */
    public static EmbeddedStack start(Path dataDir, int kafkaPort, int registryPort,
                                      Optional<String> externalRegistryUrl) throws IOException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), kafkaPort, 0);
        if (externalRegistryUrl.isPresent()) {
            return new EmbeddedStack(broker, Optional.empty(), externalRegistryUrl.get());
        }
        try {
            EmbeddedSchemaRegistry registry =
                    EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", registryPort);
            return new EmbeddedStack(broker, Optional.of(registry), registry.url());
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    public String registryUrl() {
        return registryUrl;
    }

    @Override
    public void close() {
        try {
            registry.ifPresent(EmbeddedSchemaRegistry::close);
        } finally {
            broker.close();
        }
    }
}
