package dev.clawstream.schemas.catalog;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ClawTopicTest {

    @Test
    void everyTopicButTheJsonIngestHasAnAvroSchema() {
        Set<ClawTopic> withoutSchema = Arrays.stream(ClawTopic.values())
                .filter(t -> t.valueSchema().isEmpty()).collect(Collectors.toSet());
        assertThat(withoutSchema).containsExactly(ClawTopic.EGRESS_EVENTS_JSON);
    }

    @Test
    void policyTokenAndBundleTopicsAreCompactedAsTheDesignSays() {
        Set<String> compacted = Arrays.stream(ClawTopic.values())
                .filter(t -> t.cleanupPolicy() == ClawTopic.CleanupPolicy.COMPACT)
                .map(ClawTopic::suffix).collect(Collectors.toSet());
        assertThat(compacted).containsExactlyInAnyOrder("wpc.registry", "cst.bindings", "proof.bundles", "trust.pulse");
    }

    @Test
    void namesTakeThePrefixAndResolveBack() {
        assertThat(ClawTopic.ALERTS.topicName("acme.")).isEqualTo("acme.alerts");
        assertThat(ClawTopic.byTopicName("acme.", "acme.egress.decisions")).contains(ClawTopic.EGRESS_DECISIONS);
        assertThat(ClawTopic.byTopicName("acme.", "clawstream.alerts")).isEmpty();
    }
}
