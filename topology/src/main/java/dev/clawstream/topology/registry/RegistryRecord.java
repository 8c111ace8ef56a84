package dev.clawstream.topology.registry;

import dev.clawstream.schemas.registry.CompatibilityLevel;

import java.util.Objects;
import java.util.Optional;

/**
 * One record of the {@code _schemas} log, already decoded from Confluent's JSON key and value. The key
 * of each kind is what Kafka compacts on: a later record with the same key replaces an earlier one.
 */
public sealed interface RegistryRecord {

    /** A schema bound to an id and to a version of a subject ({@code "keytype":"SCHEMA"}). */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted)
            implements RegistryRecord {
        public SchemaVersion {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }
    }

    /** A null value under a SCHEMA key: the version is gone for good (Confluent's hard delete). */
    record SchemaVersionTombstone(String subject, int version) implements RegistryRecord {
        public SchemaVersionTombstone {
            Objects.requireNonNull(subject, "subject");
        }
    }

    /** A compatibility level for one subject, or the global one when {@code subject} is empty. */
    record Config(Optional<String> subject, CompatibilityLevel level) implements RegistryRecord {
        public Config {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(level, "level");
        }
    }

    /** A null value under a CONFIG key: the level falls back to the global one (or the default). */
    record ConfigTombstone(Optional<String> subject) implements RegistryRecord {
        public ConfigTombstone {
            Objects.requireNonNull(subject, "subject");
        }
    }
}
