package dev.clawstream.schemas.serde;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.io.IOException;

/**
 * JSON for a stage's private state (stores and their changelogs): small records no other application
 * reads, so no registry subject, and readable with kcat. Times are ISO-8601 text; unknown fields are
 * ignored so a newer field in a changelog does not break an older reader.
 */
public final class JsonSerdes {

    /** The mapper behind every serde here; also the one to answer with when the same values go out as JSON. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonSerdes() {
    }

    public static <T> Serde<T> of(Class<T> type) {
        return of(MAPPER.constructType(type));
    }

    public static <T> Serde<T> of(TypeReference<T> type) {
        return of(MAPPER.constructType(type));
    }

    private static <T> Serde<T> of(JavaType type) {
        return Serdes.serdeFrom((topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + type + " for " + topic, e);
            }
        }, (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return MAPPER.<T>readValue(bytes, type);
            } catch (IOException e) {
                throw new SerializationException("cannot read " + type + " from " + topic, e);
            }
        });
    }
}
