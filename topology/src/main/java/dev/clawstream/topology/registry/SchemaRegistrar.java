package dev.clawstream.topology.registry;

import dev.clawstream.schemas.registry.AvroCompatibility;
import dev.clawstream.schemas.registry.CompatibilityLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The write side of the registry: registers schemas and sets compatibility levels through the log,
 * deciding against a state that is caught up with every other instance's writes.
 */
final class SchemaRegistrar {

    /** Each lost race means another instance registered something; a handful of retries is plenty. */
    private static final int MAX_CLAIMS = 8;

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistrar.class);

    private final RegistryState state;
    private final SchemaLog schemaLog;
    private final Duration timeout;

    SchemaRegistrar(RegistryState state, SchemaLog schemaLog, Duration timeout) {
        this.state = state;
        this.schemaLog = schemaLog;
        this.timeout = timeout;
    }

    /** What a registration came to. */
    sealed interface Registration {
        record Registered(int id) implements Registration {
        }

        record Incompatible(CompatibilityLevel level, List<String> messages) implements Registration {
        }
    }

    /**
     * Registers the schema under the subject, or answers the id it already has there. The compatibility
     * check is repeated on every claim, because a lost race means the subject's latest version changed.
     */
    Registration register(String subject, AvroSchemaText schema) {
        for (int claimNumber = 1; claimNumber <= MAX_CLAIMS; claimNumber++) {
            schemaLog.catchUp(timeout);
            Optional<SubjectVersion> existing = state.lookup(subject, schema);
            if (existing.isPresent()) {
                return new Registration.Registered(existing.get().id());
            }
            CompatibilityLevel level = state.effectiveLevel(subject);
            List<String> problems = AvroCompatibility.incompatibilities(level, schema.schema(),
                    state.liveSchemas(subject));
            if (!problems.isEmpty()) {
                return new Registration.Incompatible(level, problems);
            }
            RegistryRecord.SchemaVersion claim = state.nextClaim(subject, schema);
            schemaLog.append(claim, timeout);
            if (state.holds(claim)) {
                log.info("registered subject {} version {} as schema id {}", subject, claim.version(), claim.id());
                return new Registration.Registered(claim.id());
            }
            log.debug("claim {} of subject {} version {} id {} lost a race; retrying",
                    claimNumber, subject, claim.version(), claim.id());
            // Our ignored record is now the last one under that key; without this, compaction could
            // drop the winner and a reader replaying the compacted log would see our losing claim.
            Optional<RegistryRecord.SchemaVersion> winner = state.winnerOf(claim);
            if (winner.isPresent()) {
                schemaLog.append(winner.get(), timeout);
            }
        }
        throw new SchemaLogException("registering under subject '" + subject + "' lost " + MAX_CLAIMS
                + " races in a row to other registry instances");
    }

    /** Sets the global level (empty subject) or the subject's level, visible on return. */
    void setLevel(Optional<String> subject, CompatibilityLevel level) {
        schemaLog.append(new RegistryRecord.Config(subject, level), timeout);
        log.info("compatibility level of {} set to {}", subject.map(s -> "subject " + s).orElse("the registry"), level);
    }

    /** Blocks until every write made before the call, by any instance, is visible in the state. */
    void catchUp() {
        schemaLog.catchUp(timeout);
    }
}
