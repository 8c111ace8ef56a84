package dev.clawstream.topology.pipeline;

import org.apache.kafka.streams.StreamsBuilder;

import java.util.function.Consumer;

/**
 * One Kafka Streams application: its name (the {@code application.id} after the topic prefix, and
 * the stage named in its dead letters) and the topology it runs.
 */
public record StreamsApp(String name, Consumer<StreamsBuilder> topology) {
}
