package dev.clawstream.topology.cli;

import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Follows every partition of one topic and prints each record as {@code render} turns it into a line.
 * Committed records only, and no consumer group: watching a topic never moves anyone's offsets.
 */
final class TopicFollower {

    private static final Duration POLL = Duration.ofMillis(200);

    private final boolean fromBeginning;
    private final Optional<Long> max;
    private final Optional<Double> idleTimeoutSeconds;

    TopicFollower(boolean fromBeginning, Optional<Long> max, Optional<Double> idleTimeoutSeconds) {
        this.fromBeginning = fromBeginning;
        this.max = max;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /**
     * @param render a record's line, or empty to skip it (the renderer reports why on stderr)
     * @return the exit code: 0, or 1 when the topic does not exist
     */
    int follow(KafkaConnection connection, String topic, String clientId, PrintWriter out, PrintWriter err,
               Function<ConsumerRecord<String, byte[]>, Optional<String>> render) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(connection.consumerProperties(clientId),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                err.println("error: topic " + topic + " does not exist (clawstream topics list shows what does)");
                return 1;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            if (fromBeginning) {
                consumer.seekToBeginning(assigned);
            } else {
                consumer.seekToEnd(assigned);
            }
            long printed = 0;
            Instant lastRecord = Instant.now();
            while (max.isEmpty() || printed < max.get()) {
                var records = consumer.poll(POLL);
                if (records.isEmpty()) {
                    if (idleTimeoutSeconds.isPresent() && Duration.between(lastRecord, Instant.now()).toMillis()
                            > (long) (idleTimeoutSeconds.get() * 1000)) {
                        break;
                    }
                    continue;
                }
                lastRecord = Instant.now();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (max.isPresent() && printed >= max.get()) {
                        break;
                    }
                    Optional<String> line = render.apply(record);
                    if (line.isEmpty()) {
                        continue;
                    }
                    out.println(line.get());
                    out.flush();
                    printed++;
                }
            }
        }
        return 0;
    }
}
