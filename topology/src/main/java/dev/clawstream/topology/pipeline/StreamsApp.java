package dev.clawstream.topology.pipeline;

import org.apache.kafka.streams.StreamsBuilder;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One Kafka Streams application: its name (the {@code application.id} after the topic prefix, and
 * the stage named in its dead letters), the topology it runs, and the settings that are its own.
 */
public record StreamsApp(String name, Consumer<StreamsBuilder> topology, Map<String, Object> config) {

    public StreamsApp {
        config = Map.copyOf(config);
    }

    public StreamsApp(String name, Consumer<StreamsBuilder> topology) {
        this(name, topology, Map.of());
    }
}
