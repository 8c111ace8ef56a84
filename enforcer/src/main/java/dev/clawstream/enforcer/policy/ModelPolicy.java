package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.ModelRule;
import dev.clawstream.enforcer.wpc.ModelRules;
import dev.clawstream.enforcer.wpc.ProviderRule;
import dev.clawstream.schemas.ReasonCode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides model calls (gateway receipts): the provider must be allowed and the model id must equal an
 * allowed one exactly. Model swapping to an unreviewed model is the threat, so there is no prefix or
 * family matching: {@code openai/gpt-4o} does not allow {@code openai/gpt-4o-mini}.
 */
final class ModelPolicy {

    private final Map<String, ProviderRule> providers = new HashMap<>();
    /** Keyed by "provider:model" for provider-qualified rules and by "model" for unqualified ones. */
    private final Map<String, ModelRule> models = new HashMap<>();
    private final boolean denyOnUnknownModel;

    ModelPolicy(ModelRules rules) {
        rules.providers().forEach(p -> providers.putIfAbsent(p.provider(), p));
        for (ModelRule m : rules.models()) {
            models.putIfAbsent(m.provider().map(p -> p + ":" + m.model()).orElse(m.model()), m);
        }
        this.denyOnUnknownModel = rules.denyOnUnknownModel();
    }

    Outcome decide(String provider, String modelId) {
        Optional<ProviderRule> providerRule = Optional.ofNullable(providers.get(provider));
        if (!providers.isEmpty() && providerRule.isEmpty()) {
            return Outcome.deny(ReasonCode.PROVIDER_NOT_ALLOWED, "/allowed/providers",
                    "provider '" + provider + "' is not in allowed.providers " + List.copyOf(providers.keySet()));
        }
        ModelRule model = models.get(provider + ":" + modelId);
        if (model == null) {
            model = models.get(modelId);
        }
        if (model != null) {
            return Outcome.allow(ReasonCode.ALLOWED_MODEL, model.pointer(),
                    "model '" + provider + ":" + modelId + "' is allowed");
        }
        if (denyOnUnknownModel || providerRule.isEmpty()) {
            // Without a provider rule to lean on, an unlisted model is never allowed: default deny.
            return Outcome.deny(ReasonCode.MODEL_NOT_ALLOWED, "/allowed/models",
                    "model '" + provider + ":" + modelId + "' is not in allowed.models");
        }
        return Outcome.allow(ReasonCode.ALLOWED_MODEL, providerRule.get().pointer(), "model '" + modelId
                + "' is not listed but provider '" + provider + "' is allowed and deny_on_unknown_model is false");
    }
}
