package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.catalog.ClawTopic;

/** The topics the enforcer reads and writes, under one prefix. */
public record EnforcerTopics(String egressEvents, String gatewayReceipts, String wpcRegistry, String cstBindings,
                             String jobsLifecycle, String decisions) {

    public static EnforcerTopics withPrefix(String prefix) {
        return new EnforcerTopics(ClawTopic.EGRESS_EVENTS.topicName(prefix), ClawTopic.GATEWAY_RECEIPTS.topicName(prefix),
                ClawTopic.WPC_REGISTRY.topicName(prefix), ClawTopic.CST_BINDINGS.topicName(prefix),
                ClawTopic.JOBS_LIFECYCLE.topicName(prefix), ClawTopic.EGRESS_DECISIONS.topicName(prefix));
    }
}
