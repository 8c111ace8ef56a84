package dev.clawstream.schemas.serde;

import dev.clawstream.schemas.registry.RestSchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Confluent-framed Avro. The writer schema comes from the registry by the id in the frame and
 * is resolved against the reader's schema with Avro's own schema resolution, so a reader keeps working
 * while producers move to newer, BACKWARD-compatible versions (new fields are skipped, new enum symbols
 * read as the enum's default).
 *
 * <p>Three ways to read: into one generated class ({@link #specific}); generically with the writer's
 * schema ({@link #generic}); or, when Kafka creates it by class name, as configured by
 * {@link #SPECIFIC_READER_CONFIG} (Confluent's key), generic by default.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {

    /** Read into the generated class named by the writer schema instead of a GenericRecord. */
    public static final String SPECIFIC_READER_CONFIG = "specific.avro.reader";

    private SchemaRegistryClient registry;
    private Class<?> readerClass;
    private boolean specificByWriterName;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    static {
        TrustedAvroClasses.install();
    }

    /** For Kafka's reflective construction; {@link #configure} must follow. */
    public AvroDeserializer() {
    }

    private AvroDeserializer(SchemaRegistryClient registry, Class<?> readerClass) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readerClass = readerClass;
    }

    /** Reads every value into {@code type}, whatever compatible writer schema produced it. */
    public static <T extends SpecificRecord> AvroDeserializer<T> specific(SchemaRegistryClient registry, Class<T> type) {
        return new AvroDeserializer<>(registry, Objects.requireNonNull(type, "type"));
    }

    /** Reads every value as a GenericRecord (or the Avro type at the top level) with its writer schema. */
    public static <T> AvroDeserializer<T> generic(SchemaRegistryClient registry) {
        return new AvroDeserializer<>(registry, null);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = RestSchemaRegistryClient.fromConfig(configs);
        Object specific = configs.get(SPECIFIC_READER_CONFIG);
        this.specificByWriterName = specific != null && Boolean.parseBoolean(specific.toString());
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(data);
        DatumReader<Object> reader = readerFor(topic, id);
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
        try {
            Object value = reader.read(null, decoder);
            // Bytes left over mean the frame and the schema disagree; refuse rather than guess.
            if (!decoder.isEnd()) {
                throw new SerializationException("value on " + topic + " has bytes after the end of the record"
                        + " written with schema id " + id);
            }
            return (T) value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException se) {
                throw se;
            }
            throw new SerializationException("cannot read Avro value on " + topic + " written with schema id "
                    + id + ": " + e, e);
        }
    }

    private DatumReader<Object> readerFor(String topic, int id) {
        return readers.computeIfAbsent(id, key -> {
            Schema writer;
            try {
                writer = registry.schemaById(id);
            } catch (SchemaRegistryException e) {
                throw new SerializationException("cannot fetch writer schema id " + id + " for a value on "
                        + topic + " from " + registry.url() + ": " + e.getMessage(), e);
            }
            Class<?> target = readerClass;
            if (target == null && specificByWriterName) {
                target = SpecificData.get().getClass(writer);
                if (target == null) {
                    throw new SerializationException("no generated class on the classpath for " + writer.getFullName());
                }
            }
            if (target == null) {
                return new GenericDatumReader<>(writer, writer, GenericData.get());
            }
            SpecificData model = SpecificData.getForClass(target);
            return new SpecificDatumReader<>(writer, model.getSchema(target), model);
        });
    }
}
