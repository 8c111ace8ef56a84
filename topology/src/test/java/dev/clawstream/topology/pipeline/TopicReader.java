package dev.clawstream.topology.pipeline;

import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a topic holds, for the stage ITs: every partition from the beginning, committed records only. */
final class TopicReader {

    private TopicReader() {
    }

    /** Reads until {@code expected} records are in (or 60 s pass) and requires exactly that many. */
    static <T> List<T> readAll(KafkaConnection connection, String topic, int expected,
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
