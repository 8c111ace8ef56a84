package dev.clawstream.topology.cli;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryException;
import dev.clawstream.schemas.serde.SubjectNames;
import org.apache.avro.Schema;

import java.util.Optional;

/**
 * The topic a user named on the command line, and the Avro schema its values follow. A catalog topic
 * may be named with or without the prefix ({@code egress.events} or {@code clawstream.egress.events});
 * any other topic uses the latest schema of its {@code <topic>-value} subject, or is plain text.
 */
record TopicTarget(String name, Optional<ClawTopic> catalog, Optional<Schema> valueSchema) {

    static TopicTarget resolve(String given, String prefix, SchemaRegistryClient registry) {
        Optional<ClawTopic> catalog = ClawTopic.byTopicName(prefix, given)
                .or(() -> ClawTopic.byTopicName(prefix, prefix + given));
        if (catalog.isPresent()) {
            ClawTopic topic = catalog.get();
            return new TopicTarget(topic.topicName(prefix), catalog, topic.valueSchema());
        }
        try {
            Schema latest = registry.latest(SubjectNames.valueSubject(given)).schema();
            return new TopicTarget(given, Optional.empty(), Optional.of(latest));
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == SchemaRegistryException.SUBJECT_NOT_FOUND || e.httpStatus() == 404) {
                return new TopicTarget(given, Optional.empty(), Optional.empty());
            }
            throw e;
        }
    }

    /** The schema JSON text must follow: the topic's own, or EgressEvent for the JSON ingest topic. */
    Optional<Schema> jsonShape() {
        if (catalog.equals(Optional.of(ClawTopic.EGRESS_EVENTS_JSON))) {
            return ClawTopic.EGRESS_EVENTS.valueSchema();
        }
        return valueSchema;
    }

    /** Values are Avro in the wire format (not JSON text). */
    boolean avroValues() {
        return valueSchema.isPresent();
    }
}
