package dev.clawstream.topology.cli;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.topology.kafka.KafkaConnection;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** How a command reaches Kafka and the schema registry; shared by every command that talks to them. */
final class ConnectionOptions {

    /** Basic-auth credentials come from the environment only: command-line flags show up in {@code ps}. */
    static final String REGISTRY_USER_INFO_ENV = "CLAWSTREAM_REGISTRY_USER_INFO";

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            defaultValue = "${env:CLAWSTREAM_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env CLAWSTREAM_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL",
            defaultValue = "${env:CLAWSTREAM_REGISTRY:-http://localhost:8081}",
            description = "Schema registry URL, any Confluent-compatible registry (default: ${DEFAULT-VALUE}; "
                    + "env CLAWSTREAM_REGISTRY; basic auth from env " + REGISTRY_USER_INFO_ENV + "=user:password).")
    String registry;

    @Option(names = "--prefix", defaultValue = ClawTopic.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Kafka client properties for every client (security.protocol, sasl.*, ssl.*).")
    Path clientConfig;

    KafkaConnection connection() throws IOException {
        Map<String, String> overrides = new HashMap<>();
        if (clientConfig != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(clientConfig, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            p.stringPropertyNames().forEach(name -> overrides.put(name, p.getProperty(name)));
        }
        return new KafkaConnection(bootstrap, registry,
                Optional.ofNullable(System.getenv(REGISTRY_USER_INFO_ENV)), prefix, overrides);
    }
}
