package dev.clawstream.topology.pipeline;

import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.RulesParser;
import dev.clawstream.enforcer.stream.EnforcerKeys;

import java.util.Objects;

/**
 * What the stages need beyond Kafka: whose signatures to believe (enforcer) and which alert rules to
 * run (alerter).
 */
public record PipelineSettings(EnforcerKeys trust, RuleSet alertRules) {

    public PipelineSettings {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(alertRules, "alertRules");
    }

    /** The given trust with the shipped default alert rules. */
    public static PipelineSettings withDefaults(EnforcerKeys trust) {
        return new PipelineSettings(trust, RulesParser.defaults());
    }
}
