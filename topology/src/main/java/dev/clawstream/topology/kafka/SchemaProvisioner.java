package dev.clawstream.topology.kafka;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.SubjectNames;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers every topic's value schema under {@code <topic>-value} before anything is produced, so a
 * registry that refuses a schema (incompatible with what is already there) stops the start with a
 * clear error instead of failing the first record of some stage later.
 */
public final class SchemaProvisioner {

    private SchemaProvisioner() {
    }

    /** @return subject to schema id, in catalog order */
    public static Map<String, Integer> registerAll(SchemaRegistryClient registry, String prefix) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (ClawTopic topic : ClawTopic.values()) {
            topic.valueSchema().ifPresent(schema -> {
                String subject = SubjectNames.valueSubject(topic.topicName(prefix));
                ids.put(subject, registry.register(subject, schema));
            });
        }
        return ids;
    }
}
