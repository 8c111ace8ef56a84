package dev.clawstream.alerter.stream;

import dev.clawstream.schemas.catalog.ClawTopic;

/** The topics the alerter reads and writes, under one prefix. */
public record AlerterTopics(String decisions, String cstBindings, String alerts) {

    public static AlerterTopics withPrefix(String prefix) {
        return new AlerterTopics(ClawTopic.EGRESS_DECISIONS.topicName(prefix), ClawTopic.CST_BINDINGS.topicName(prefix),
                ClawTopic.ALERTS.topicName(prefix));
    }
}
