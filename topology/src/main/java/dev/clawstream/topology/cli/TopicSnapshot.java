package dev.clawstream.topology.cli;

import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every committed record of one topic from a point in time (or the beginning) up to its end as it was
 * when the read started: a finite snapshot, for commands that summarise a topic and exit. No consumer
 * group, so reading never moves anyone's offsets.
 */
final class TopicSnapshot {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** A read that makes no progress for this long is a broken connection, not a slow topic. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private TopicSnapshot() {
    }

    /** @throws InvalidInputException when the topic does not exist */
    static List<ConsumerRecord<String, byte[]>> read(KafkaConnection connection, String topic, String clientId,
                                                     Optional<Instant> since) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(connection.consumerProperties(clientId),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, METADATA_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new InvalidInputException("topic " + topic + " does not exist (clawstream topics list shows what does)");
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, METADATA_TIMEOUT);
            consumer.seekToBeginning(assigned);
            if (since.isPresent()) {
                Map<TopicPartition, Long> at = new HashMap<>();
                assigned.forEach(tp -> at.put(tp, since.get().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(at, METADATA_TIMEOUT);
                // No record at or after the time: nothing to read in that partition.
                found.forEach((tp, offset) -> consumer.seek(tp, offset == null ? end.get(tp) : offset.offset()));
            }
            Instant lastProgress = Instant.now();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                var batch = consumer.poll(POLL);
                if (!batch.isEmpty()) {
                    lastProgress = Instant.now();
                } else if (Duration.between(lastProgress, Instant.now()).compareTo(STALL_TIMEOUT) > 0) {
                    throw new IllegalStateException("no progress reading " + topic + " for " + STALL_TIMEOUT.toSeconds()
                            + " s before its end");
                }
                for (ConsumerRecord<String, byte[]> record : batch) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
        }
        return records;
    }
}
