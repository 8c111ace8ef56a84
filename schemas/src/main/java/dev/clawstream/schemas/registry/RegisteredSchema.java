package dev.clawstream.schemas.registry;

import org.apache.avro.Schema;

import java.util.Objects;

/** One version of a subject: {@code GET /subjects/{subject}/versions/{version}}. */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
