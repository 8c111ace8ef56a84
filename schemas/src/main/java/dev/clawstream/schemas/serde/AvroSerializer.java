package dev.clawstream.schemas.serde;

import dev.clawstream.schemas.registry.RestSchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering the record's
 * schema under {@code <topic>-value} (or {@code -key}) the first time it is seen. A null value stays
 * null so that tombstones still compact.
 *
 * <p>Kafka may create it by class name; then {@link #configure} reads {@code schema.registry.url} and
 * {@link #AUTO_REGISTER_CONFIG} as Confluent's serializer does.
 */
public final class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    /** When false, the schema must already be registered (production registries are often locked down). */
    public static final String AUTO_REGISTER_CONFIG = "auto.register.schemas";

    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private boolean isKey;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) { }

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroSerializer() {
        TrustedAvroClasses.install();
    }

    public AvroSerializer(SchemaRegistryClient registry, boolean autoRegister, boolean isKey) {
        // Whoever serialises also builds records, and a builder resolving an enum default loads our classes.
        TrustedAvroClasses.install();
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = RestSchemaRegistryClient.fromConfig(configs);
        Object auto = configs.get(AUTO_REGISTER_CONFIG);
        this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString());
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = data.getSchema();
        String subject = SubjectNames.subject(topic, isKey);
        int id;
        try {
            id = ids.computeIfAbsent(new SubjectSchema(subject, schema),
                    key -> autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for subject " + subject + " from "
                    + registry.url() + ": " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(WireFormat.header(id));
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writerFor(data, schema).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + " to " + topic + ": " + e, e);
        }
        return out.toByteArray();
    }

    private DatumWriter<Object> writerFor(T data, Schema schema) {
        return writers.computeIfAbsent(schema, s -> data instanceof SpecificRecord
                // The generated class's own model knows its logical-type conversions (Instant, ...).
                ? new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass()))
                : new GenericDatumWriter<>(s, GenericData.get()));
    }
}
