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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code clawstream tail TOPIC}: records as JSON lines on stdout, one per record. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Print a topic's records as JSON lines (Avro values decoded with their writer schema).",
                "Reads committed records only; joins no consumer group, so it never moves anyone's offsets."})
final class TailCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

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

        return new TopicFollower(fromBeginning, max, idleTimeoutSeconds).follow(connection, target.name(),
                "clawstream-tail", out, err, record -> decode(record, avro, err)
                        .map(value -> (withMetadata ? wrap(record, value) : value).toString()));
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
