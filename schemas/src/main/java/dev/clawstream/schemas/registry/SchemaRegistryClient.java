package dev.clawstream.schemas.registry;

import org.apache.avro.Schema;

import java.util.List;

/**
 * The few Confluent Schema Registry REST operations Clawstream needs. Implementations cache what never
 * changes (an id's schema, a registered schema's id), so a serde asks the registry once per schema.
 *
 * <p>Every method throws {@link SchemaRegistryException} when the registry answers with an error or
 * cannot be reached; the exception carries the HTTP status and Confluent's {@code error_code}.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} if it is already registered under {@code subject}; never registers. */
    int idOf(String subject, Schema schema);

    /** The writer schema with this global id. */
    Schema schemaById(int id);

    /** The newest version registered under {@code subject}. */
    RegisteredSchema latest(String subject);

    /** Every subject the registry knows, sorted. */
    List<String> subjects();

    /** The version numbers registered under {@code subject}, oldest first. */
    List<Integer> versions(String subject);

    /** Whether {@code schema} may be registered as the next version of {@code subject}. */
    boolean isCompatibleWithLatest(String subject, Schema schema);

    /** The registry-wide compatibility level, e.g. {@code BACKWARD}. */
    String globalCompatibility();

    /** Sets the registry-wide compatibility level. */
    void setGlobalCompatibility(String level);

    /** The registry's base URL, for messages. */
    String url();
}
