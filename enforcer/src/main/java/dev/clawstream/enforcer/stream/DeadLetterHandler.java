package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.registry.RestSchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroSerializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Nothing lost: a record a stage cannot read or process goes to the dead-letter topic byte for byte,
 * with its source topic, partition, offset and the error, and the stream goes on. Written through
 * Kafka Streams' own dead-letter support (KIP-1034), so under exactly-once the dead letter commits
 * with the input offset. If the dead letter itself cannot be written, the stage stops rather than
 * silently skipping the record.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** The full name of the dead-letter topic. */
    public static final String TOPIC_CONFIG = "clawstream.deadletter.topic";
    /** Which stage is writing (enforcer, alerter, bundler, ingest). */
    public static final String STAGE_CONFIG = "clawstream.stage";
    /** A registry client object to share (otherwise one is built from {@code schema.registry.url}). */
    public static final String REGISTRY_CLIENT_CONFIG = "clawstream.schema.registry.client";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String topic;
    private String stage;
    private AvroSerializer<DeadLetter> serializer;

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(TOPIC_CONFIG);
        if (t == null) {
            throw new IllegalArgumentException("missing " + TOPIC_CONFIG);
        }
        this.topic = t.toString();
        Object s = configs.get(STAGE_CONFIG);
        this.stage = s == null ? "unknown" : s.toString();
        Object client = configs.get(REGISTRY_CLIENT_CONFIG);
        this.serializer = new AvroSerializer<>(client instanceof SchemaRegistryClient shared
                ? shared : RestSchemaRegistryClient.fromConfig(configs), true, false);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        try {
            return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, record.key(),
                    record.value(), exception)));
        } catch (RuntimeException e) {
            LOG.error("cannot write a dead letter for {}-{}@{}; stopping: {}", context.topic(), context.partition(),
                    context.offset(), e.getMessage());
            return DeserializationExceptionHandler.Response.fail();
        }
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        try {
            return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, context.sourceRawKey(),
                    context.sourceRawValue(), exception)));
        } catch (RuntimeException e) {
            LOG.error("cannot write a dead letter for {}-{}@{}; stopping: {}", context.topic(), context.partition(),
                    context.offset(), e.getMessage());
            return ProcessingExceptionHandler.Response.fail();
        }
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                     Exception exception) {
        LOG.warn("dead letter from {}-{}@{} ({}): {}", context.topic(), context.partition(), context.offset(), stage,
                exception.toString());
        DeadLetter letter = DeadLetter.newBuilder()
                .setSourceTopic(context.topic()).setSourcePartition(context.partition())
                .setSourceOffset(context.offset())
                .setRawKey(key == null ? null : ByteBuffer.wrap(key))
                .setRawValue(value == null ? null : ByteBuffer.wrap(value))
                .setError(String.valueOf(exception.getMessage()))
                .setExceptionClass(exception.getClass().getName())
                .setStage(stage).setTime(Instant.now()).build();
        // Stamped with the time it was dead-lettered, like its `time` field (a consumer of the dead-letter
        // topic may itself be a Kafka Streams application that needs a timestamp).
        return new ProducerRecord<>(topic, null, letter.getTime().toEpochMilli(), key, serializer.serialize(topic, letter));
    }
}
