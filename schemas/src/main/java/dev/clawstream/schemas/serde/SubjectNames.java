package dev.clawstream.schemas.serde;

/**
 * Confluent's TopicNameStrategy: a topic's values are registered under {@code <topic>-value} and its
 * keys under {@code <topic>-key}, so each topic's schema evolves on its own.
 */
public final class SubjectNames {

    private SubjectNames() {
    }

    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    public static String keySubject(String topic) {
        return topic + "-key";
    }

    static String subject(String topic, boolean isKey) {
        return isKey ? keySubject(topic) : valueSubject(topic);
    }
}
