package dev.clawstream.enforcer.wpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code allowed} (providers and models) and {@code requirements}; checks the informational
 * {@code model_routing} block for shape, since the gateway, not Clawstream, enforces routing.
 */
final class ModelRulesReader {

    static final List<String> ALLOWED_FIELDS = List.of("providers", "models");
    static final List<String> REQUIREMENT_FIELDS = List.of("deny_on_unknown_model", "model_calls_must_route_via");
    static final List<String> ROUTING_FIELDS = List.of("provider", "must_route_through");

    private ModelRulesReader() {
    }

    static ModelRules read(WpcValue root) {
        List<ProviderRule> providers = new ArrayList<>();
        List<ModelRule> models = new ArrayList<>();
        boolean[] denyOnUnknownModel = {true};
        root.get("allowed").ifPresentObject(ALLOWED_FIELDS, allowed -> {
            WpcValue providerList = allowed.get("providers");
            if (providerList.present()) {
                for (WpcValue entry : providerList.elements()) {
                    entry.name().ifPresent(provider -> providers.add(new ProviderRule(provider, entry.pointer())));
                }
            }
            WpcValue modelList = allowed.get("models");
            if (modelList.present()) {
                for (WpcValue entry : modelList.elements()) {
                    entry.name()
                            .flatMap(id -> ModelRule.parse(id, entry.pointer()).orReport(entry::fault))
                            .ifPresent(models::add);
                }
            }
        });
        root.get("requirements").ifPresentObject(REQUIREMENT_FIELDS, requirements -> {
            WpcValue deny = requirements.get("deny_on_unknown_model");
            if (deny.present()) {
                deny.bool().ifPresent(value -> denyOnUnknownModel[0] = value);
            }
            requirements.get("model_calls_must_route_via").optionalName();
        });
        root.get("model_routing").ifPresentObject(ROUTING_FIELDS, routing -> {
            routing.get("provider").optionalName();
            routing.get("must_route_through").optionalName();
        });
        return new ModelRules(providers, models, denyOnUnknownModel[0]);
    }
}
