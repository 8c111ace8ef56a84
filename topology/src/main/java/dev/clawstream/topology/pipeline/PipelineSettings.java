package dev.clawstream.topology.pipeline;

import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.RulesParser;
import dev.clawstream.bundler.SealerConfig;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.stream.EnforcerKeys;

import java.util.Objects;
import java.util.Optional;

/**
 * What the stages need beyond Kafka: whose signatures to believe (enforcer), which alert rules to run
 * (alerter), and the key and settings the bundler seals with (no key: the bundler cannot run).
 */
public record PipelineSettings(EnforcerKeys trust, RuleSet alertRules, Optional<Signer> bundlerKey,
                               SealerConfig sealer) {

    public PipelineSettings {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(alertRules, "alertRules");
        Objects.requireNonNull(bundlerKey, "bundlerKey");
        Objects.requireNonNull(sealer, "sealer");
    }

    /** The given trust with the shipped default alert rules and no bundler key. */
    public static PipelineSettings withDefaults(EnforcerKeys trust) {
        return new PipelineSettings(trust, RulesParser.defaults(), Optional.empty(), SealerConfig.defaults());
    }

    public PipelineSettings withAlertRules(RuleSet rules) {
        return new PipelineSettings(trust, rules, bundlerKey, sealer);
    }

    public PipelineSettings withBundlerKey(Signer key) {
        return new PipelineSettings(trust, alertRules, Optional.of(key), sealer);
    }

    public PipelineSettings withSealer(SealerConfig config) {
        return new PipelineSettings(trust, alertRules, bundlerKey, config);
    }
}
