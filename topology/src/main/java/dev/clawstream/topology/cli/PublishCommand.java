package dev.clawstream.topology.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.schemas.json.AvroJsonException;
import dev.clawstream.schemas.json.JsonFieldError;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code clawstream publish TOPIC}: JSON lines on stdin, each checked against the topic's Avro schema and
 * produced in the Confluent wire format. A bad line is reported with its number and the field at fault
 * and skipped; the rest are still sent; the exit code says whether anything was rejected.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Produce JSON lines from stdin (or --input FILE) to a topic, validated against its Avro schema.",
                "Each bad line is reported on stderr (line number, JSON path, reason); the others are still sent.",
                "Exit code 0 when every line was sent, 1 when any was rejected or failed."})
final class PublishCommand implements Callable<Integer> {

    // Duplicate keys are refused: a line that different readers would read differently is never sent.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connectionOptions;

    @Parameters(index = "0", paramLabel = "TOPIC",
            description = "A Clawstream topic with or without the prefix (egress.events), or any topic name.")
    String topicName;

    @Option(names = "--key-field", paramLabel = "FIELD",
            description = "Value field whose text becomes the record key (default: the topic's, e.g. job_id).")
    Optional<String> keyField;

    @Option(names = "--input", paramLabel = "FILE", description = "Read the JSON lines from FILE instead of stdin.")
    Path input;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        KafkaConnection connection = connectionOptions.connection();
        SchemaRegistryClient registry = connection.registryClient();
        TopicTarget target = TopicTarget.resolve(topicName, connection.topicPrefix(), registry);
        Optional<String> keyFrom = keyField.or(() -> target.catalog().flatMap(t -> t.keyField()));
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(registry, true, false);

        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();
        int rejected = 0;
        int lineNumber = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                connection.producerProperties("clawstream-publish"), new StringSerializer(), new ByteArraySerializer());
             BufferedReader in = input != null ? Files.newBufferedReader(input, StandardCharsets.UTF_8)
                     : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                Optional<Encoded> encoded = encode(line, lineNumber, target, keyFrom, serializer, err);
                if (encoded.isEmpty()) {
                    rejected++;
                    continue;
                }
                producer.send(new ProducerRecord<>(target.name(), encoded.get().key(), encoded.get().value()),
                        (metadata, exception) -> {
                            if (exception == null) {
                                sent.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, exception);
                            }
                        });
            }
            producer.flush();
        }
        err.println("published " + sent.get() + " record(s) to " + target.name()
                + (rejected > 0 ? "; " + rejected + " line(s) rejected" : "")
                + (failed.get() > 0 ? "; " + failed.get() + " failed: " + firstFailure.get() : ""));
        err.flush();
        return rejected == 0 && failed.get() == 0 ? 0 : 1;
    }

    private record Encoded(String key, byte[] value) { }

    private static Optional<Encoded> encode(String line, int lineNumber, TopicTarget target, Optional<String> keyFrom,
                                            AvroSerializer<GenericRecord> serializer, PrintWriter err) {
        JsonNode json;
        try {
            json = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            err.println("line " + lineNumber + ": not JSON: " + e.getOriginalMessage());
            return Optional.empty();
        }
        if (target.jsonShape().isPresent()) {
            Schema schema = target.jsonShape().get();
            GenericRecord record;
            try {
                record = AvroJson.fromJson(json, schema);
            } catch (AvroJsonException e) {
                for (JsonFieldError error : e.errors()) {
                    err.println("line " + lineNumber + ": " + error.path() + ": " + error.message());
                }
                return Optional.empty();
            }
            if (!target.avroValues()) {
                // JSON ingest topic: the line was valid; send the sidecar's text as it is.
                return keyOf(json, keyFrom, lineNumber, err).map(key -> new Encoded(key.orElse(null),
                        line.getBytes(StandardCharsets.UTF_8)));
            }
            return keyOf(json, keyFrom, lineNumber, err).map(key ->
                    new Encoded(key.orElse(null), serializer.serialize(target.name(), record)));
        }
        return keyOf(json, keyFrom, lineNumber, err).map(key -> new Encoded(key.orElse(null),
                line.getBytes(StandardCharsets.UTF_8)));
    }

    /** Empty when the line must be rejected; an empty inner value for an unkeyed record. */
    private static Optional<Optional<String>> keyOf(JsonNode json, Optional<String> keyFrom, int lineNumber,
                                                    PrintWriter err) {
        if (keyFrom.isEmpty()) {
            return Optional.of(Optional.empty());
        }
        JsonNode key = json.get(keyFrom.get());
        if (key == null || !key.isTextual() || key.asText().isEmpty()) {
            // Everything about one job must share a key to stay in order in one partition.
            err.println("line " + lineNumber + ": $." + keyFrom.get() + ": needed as the record key");
            return Optional.empty();
        }
        return Optional.of(Optional.of(key.asText()));
    }
}
