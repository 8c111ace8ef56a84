package dev.clawstream.schemas.catalog;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.WpcRecord;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every topic of the design's table, in one place: its name (after the configurable prefix), the value
 * field its key is taken from, its value type and its cleanup policy. Keys are plain UTF-8 strings on
 * every topic: everything about one job shares a key, so it lands in one partition, in order.
 */
public enum ClawTopic {
    EGRESS_EVENTS_JSON("egress.events.json", "job_id", null, CleanupPolicy.DELETE),
    EGRESS_EVENTS("egress.events", "job_id", EgressEvent.class, CleanupPolicy.DELETE),
    GATEWAY_RECEIPTS("gateway.receipts", "job_id", GatewayReceipt.class, CleanupPolicy.DELETE),
    WPC_REGISTRY("wpc.registry", "wpc_hash", WpcRecord.class, CleanupPolicy.COMPACT),
    CST_BINDINGS("cst.bindings", "job_id", CstRecord.class, CleanupPolicy.COMPACT),
    JOBS_LIFECYCLE("jobs.lifecycle", "job_id", JobEvent.class, CleanupPolicy.DELETE),
    EGRESS_DECISIONS("egress.decisions", "job_id", Decision.class, CleanupPolicy.DELETE),
    ALERTS("alerts", "agent_id", Alert.class, CleanupPolicy.DELETE),
    PROOF_BUNDLES("proof.bundles", "job_id", ProofBundle.class, CleanupPolicy.COMPACT),
    TRUST_PULSE("trust.pulse", "job_id", ProofBundle.class, CleanupPolicy.COMPACT),
    DEADLETTER("deadletter", null, DeadLetter.class, CleanupPolicy.DELETE);

    /** The prefix every topic name takes unless configured otherwise. */
    public static final String DEFAULT_PREFIX = "clawstream.";

    /** Kafka's {@code cleanup.policy} values we use. */
    public enum CleanupPolicy {
        DELETE("delete"), COMPACT("compact");

        private final String config;

        CleanupPolicy(String config) {
            this.config = config;
        }

        public String config() {
            return config;
        }
    }

    private final String suffix;
    private final String keyField;
    private final Class<? extends SpecificRecord> valueType;
    private final CleanupPolicy cleanupPolicy;

    ClawTopic(String suffix, String keyField, Class<? extends SpecificRecord> valueType, CleanupPolicy cleanupPolicy) {
        this.suffix = suffix;
        this.keyField = keyField;
        this.valueType = valueType;
        this.cleanupPolicy = cleanupPolicy;
    }

    /** The topic's name under {@code prefix}, e.g. {@code clawstream.egress.events}. */
    public String topicName(String prefix) {
        return prefix + suffix;
    }

    /** The name without prefix, as in the design's table. */
    public String suffix() {
        return suffix;
    }

    /**
     * The value field whose text is the record key (job id, WPC hash, agent id), or empty where the key
     * is copied from elsewhere: a dead letter keeps its source record's key.
     */
    public Optional<String> keyField() {
        return Optional.ofNullable(keyField);
    }

    /** The generated class of the Avro value, or empty for a topic whose values are JSON text. */
    public Optional<Class<? extends SpecificRecord>> valueType() {
        return Optional.ofNullable(valueType);
    }

    /** The Avro schema of the value, or empty for a JSON topic. */
    public Optional<Schema> valueSchema() {
        return valueType().map(type -> SpecificData.getForClass(type).getSchema(type));
    }

    public CleanupPolicy cleanupPolicy() {
        return cleanupPolicy;
    }

    /** The catalog entry for a full topic name under {@code prefix}, if it is one of ours. */
    public static Optional<ClawTopic> byTopicName(String prefix, String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName(prefix).equals(topicName)).findFirst();
    }
}
