package dev.clawstream.topology.view;

import dev.clawstream.schemas.catalog.ClawTopic;

/** The topics the viewer reads, under one prefix. */
public record ViewerTopics(String trustPulse, String wpcRegistry, String decisions, String alerts, String deadletter) {

    public static ViewerTopics withPrefix(String prefix) {
        return new ViewerTopics(ClawTopic.TRUST_PULSE.topicName(prefix), ClawTopic.WPC_REGISTRY.topicName(prefix),
                ClawTopic.EGRESS_DECISIONS.topicName(prefix), ClawTopic.ALERTS.topicName(prefix),
                ClawTopic.DEADLETTER.topicName(prefix));
    }
}
