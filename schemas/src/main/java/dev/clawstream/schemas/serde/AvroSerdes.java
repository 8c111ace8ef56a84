package dev.clawstream.schemas.serde;

import dev.clawstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Value serdes in the Confluent wire format, sharing one registry client (and so one cache). */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** A value serde for one generated record type. */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, SchemaRegistryClient registry,
                                                                boolean autoRegister) {
        return Serdes.serdeFrom(new AvroSerializer<T>(registry, autoRegister, false),
                AvroDeserializer.specific(registry, type));
    }

    /** A value serde for generic records, read with their writer schema. */
    public static Serde<GenericRecord> generic(SchemaRegistryClient registry, boolean autoRegister) {
        return Serdes.serdeFrom(new AvroSerializer<GenericRecord>(registry, autoRegister, false),
                AvroDeserializer.generic(registry));
    }
}
