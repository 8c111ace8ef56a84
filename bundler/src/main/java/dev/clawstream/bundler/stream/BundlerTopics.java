package dev.clawstream.bundler.stream;

import dev.clawstream.schemas.catalog.ClawTopic;

/** The topics the bundler reads and writes, under one prefix. */
public record BundlerTopics(String decisions, String jobsLifecycle, String wpcRegistry, String proofBundles,
                            String trustPulse) {

    public static BundlerTopics withPrefix(String prefix) {
        return new BundlerTopics(ClawTopic.EGRESS_DECISIONS.topicName(prefix), ClawTopic.JOBS_LIFECYCLE.topicName(prefix),
                ClawTopic.WPC_REGISTRY.topicName(prefix), ClawTopic.PROOF_BUNDLES.topicName(prefix),
                ClawTopic.TRUST_PULSE.topicName(prefix));
    }
}
