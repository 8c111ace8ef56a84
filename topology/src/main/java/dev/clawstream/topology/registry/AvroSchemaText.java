package dev.clawstream.topology.registry;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

import java.util.Optional;

/**
 * An Avro schema as the registry stores it: the parsed schema and its canonical text. Two texts that
 * differ only in whitespace or key order have the same canonical text, so they get the same id, as
 * Confluent's registry does.
 *
 * @param canonical Avro's own re-serialisation of the parsed schema (docs and defaults kept, unlike
 *                  the Parsing Canonical Form, because dropping a default changes compatibility)
 */
public record AvroSchemaText(String canonical, Schema schema) {

    /** The schema in {@code text}, or the parser's reason why it is not one. */
    public static Parsed parse(String text) {
        if (text == null || text.isBlank()) {
            return new Parsed(Optional.empty(), "the schema is empty");
        }
        try {
            // A fresh parser per schema: a shared one remembers named types and would reject a
            // second, unrelated schema that reuses a record name.
            Schema schema = new Schema.Parser().parse(text);
            return new Parsed(Optional.of(new AvroSchemaText(schema.toString(), schema)), "");
        } catch (SchemaParseException | NullPointerException | IllegalArgumentException e) {
            // Avro reports some malformed inputs (e.g. a field without a type) as NPE or IAE.
            return new Parsed(Optional.empty(), String.valueOf(e.getMessage()));
        }
    }

    /** The outcome of {@link #parse}: a schema, or the reason there is none. */
    public record Parsed(Optional<AvroSchemaText> schema, String error) {
    }
}
