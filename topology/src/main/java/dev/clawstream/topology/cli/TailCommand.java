package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.schemas.serde.WireFormat;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream tail TOPIC}: records as JSON lines on stdout, one per record. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines (Avro values decoded with their writer schema).",
                "Reads committed records only; joins no consumer group, so it never moves anyone's offsets."})
final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connectionOptions;

    @Parameters(index = "0", paramLabel = "TOPIC", description = "A Clawstream topic with or without the prefix, or any topic.")
    String topicName;

    @Option(names = "--from-beginning", description = "Start at the oldest record instead of new ones only.")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
    Optional<Long> max;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Stop when no record arrived for this long (default: wait for ever).")
    Optional<Double> idleTimeoutSeconds;

    @Option(names = "--with-metadata",
            description = "Wrap each value with topic, partition, offset, timestamp and key.")
    boolean withMetadata;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaConnection connection = connectionOptions.connection();
        SchemaRegistryClient registry = connection.registryClient();
        TopicTarget target = TopicTarget.resolve(topicName, connection.topicPrefix(), registry);
        AvroDeserializer<Object> avro = AvroDeserializer.generic(registry);

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                connection.consumerProperties("clawstream-tail"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(target.name(), Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                err.println("error: topic " + target.name() + " does not exist (clawstream topics list shows what does)");
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
                    Optional<JsonNode> value = decode(record, avro, err);
                    if (value.isEmpty()) {
                        continue;
                    }
                    out.println(withMetadata ? wrap(record, value.get()) : value.get());
                    out.flush();
                    printed++;
                }
            }
        }
        return 0;
    }

    /** Empty when the value cannot be read; the reason goes to stderr and tailing goes on. */
    private static Optional<JsonNode> decode(ConsumerRecord<String, byte[]> record, AvroDeserializer<Object> avro,
                                             PrintWriter err) {
        byte[] bytes = record.value();
        if (bytes == null) {
            return Optional.of(JSON.nullNode());
        }
        if (bytes.length >= WireFormat.HEADER_SIZE && bytes[0] == WireFormat.MAGIC_BYTE) {
            try {
                Object value = avro.deserialize(record.topic(), bytes);
                return Optional.of(value instanceof IndexedRecord r ? AvroJson.toJson(r) : JSON.valueToTree(value));
            } catch (RuntimeException e) {
                err.println("partition " + record.partition() + " offset " + record.offset() + ": " + e.getMessage());
                err.flush();
                return Optional.empty();
            }
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return Optional.of(JSON.readTree(text));
        } catch (IOException notJson) {
            return Optional.of(JSON.getNodeFactory().textNode(text));
        }
    }

    private static ObjectNode wrap(ConsumerRecord<String, byte[]> record, JsonNode value) {
        ObjectNode node = JSON.createObjectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        node.put("key", record.key());
        node.set("value", value);
        return node;
    }
}
