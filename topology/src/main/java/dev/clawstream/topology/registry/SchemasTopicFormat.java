package dev.clawstream.topology.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.registry.CompatibilityLevel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Confluent's JSON key and value format for the {@code _schemas} topic, so that the log we write is
 * the log a Confluent registry would write and read.
 *
 * <p>Keys are written with a fixed field order: compaction compares key bytes, so two writers must
 * produce byte-identical keys for the same subject and version.
 */
final class SchemasTopicFormat {

    private static final String KEYTYPE = "keytype";
    private static final String SCHEMA_KEYTYPE = "SCHEMA";
    private static final String CONFIG_KEYTYPE = "CONFIG";
    /** Confluent's key format versions: SCHEMA keys are magic 1, CONFIG keys magic 0. */
    private static final int SCHEMA_KEY_MAGIC = 1;
    private static final int CONFIG_KEY_MAGIC = 0;

    private final ObjectMapper json = new ObjectMapper();

    /** The key of a record; compaction keeps the last value written under it. */
    byte[] key(RegistryRecord record) {
        ObjectNode key = json.createObjectNode();
        if (record instanceof RegistryRecord.SchemaVersion v) {
            schemaKey(key, v.subject(), v.version());
        } else if (record instanceof RegistryRecord.SchemaVersionTombstone t) {
            schemaKey(key, t.subject(), t.version());
        } else if (record instanceof RegistryRecord.Config c) {
            configKey(key, c.subject());
        } else if (record instanceof RegistryRecord.ConfigTombstone t) {
            configKey(key, t.subject());
        }
        return bytes(key);
    }

    /** The value of a record, or null for a tombstone. */
    byte[] value(RegistryRecord record) {
        if (record instanceof RegistryRecord.SchemaVersion v) {
            ObjectNode value = json.createObjectNode();
            value.put("subject", v.subject());
            value.put("version", v.version());
            value.put("id", v.id());
            value.put("schema", v.schema());
            value.put("deleted", v.deleted());
            return bytes(value);
        }
        if (record instanceof RegistryRecord.Config c) {
            ObjectNode value = json.createObjectNode();
            value.put("compatibilityLevel", c.level().name());
            return bytes(value);
        }
        return null;
    }

    /**
     * The record in a key and value read from the log; empty for the key types this registry does not
     * act on (Confluent's NOOP, MODE, DELETE_SUBJECT, ...), which it must skip rather than fail on.
     *
     * @throws IllegalArgumentException when the bytes are not a record in this format; the reader logs
     *                                  it with its offset and carries on
     */
    Optional<RegistryRecord> decode(byte[] keyBytes, byte[] valueBytes) {
        JsonNode key = parse(keyBytes, "key");
        String keytype = key.path(KEYTYPE).asText("");
        JsonNode value = valueBytes == null ? null : parse(valueBytes, "value");
        switch (keytype) {
            case SCHEMA_KEYTYPE: {
                String subject = requiredText(key, "subject");
                int version = requiredInt(key, "version");
                if (value == null) {
                    return Optional.of(new RegistryRecord.SchemaVersionTombstone(subject, version));
                }
                return Optional.of(new RegistryRecord.SchemaVersion(
                        requiredText(value, "subject"),
                        requiredInt(value, "version"),
                        requiredInt(value, "id"),
                        requiredText(value, "schema"),
                        value.path("deleted").asBoolean(false)));
            }
            case CONFIG_KEYTYPE: {
                JsonNode subjectNode = key.path("subject");
                Optional<String> subject = subjectNode.isTextual()
                        ? Optional.of(subjectNode.asText()) : Optional.empty();
                if (value == null) {
                    return Optional.of(new RegistryRecord.ConfigTombstone(subject));
                }
                String levelName = requiredText(value, "compatibilityLevel");
                CompatibilityLevel level = CompatibilityLevel.parse(levelName).orElseThrow(
                        () -> new IllegalArgumentException("unknown compatibilityLevel '" + levelName + "'"));
                return Optional.of(new RegistryRecord.Config(subject, level));
            }
            default:
                return Optional.empty();
        }
    }

    private static void schemaKey(ObjectNode key, String subject, int version) {
        key.put(KEYTYPE, SCHEMA_KEYTYPE);
        key.put("subject", subject);
        key.put("version", version);
        key.put("magic", SCHEMA_KEY_MAGIC);
    }

    private static void configKey(ObjectNode key, Optional<String> subject) {
        key.put(KEYTYPE, CONFIG_KEYTYPE);
        if (subject.isPresent()) {
            key.put("subject", subject.get());
        } else {
            key.putNull("subject");
        }
        key.put("magic", CONFIG_KEY_MAGIC);
    }

    private JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + " is not JSON: " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing text field '" + field + "'");
        }
        return value.asText();
    }

    private static int requiredInt(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("missing integer field '" + field + "'");
        }
        return value.intValue();
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }
}
