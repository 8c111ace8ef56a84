package dev.clawstream.enforcer.wpc;

import java.util.List;

/**
 * Which model providers and models a job may call through the gateway.
 *
 * @param denyOnUnknownModel deny a model that is not listed; true unless the document says false (fail closed)
 */
public record ModelRules(List<ProviderRule> providers, List<ModelRule> models, boolean denyOnUnknownModel) {

    public static final ModelRules NONE = new ModelRules(List.of(), List.of(), true);

    public ModelRules {
        providers = List.copyOf(providers);
        models = List.copyOf(models);
    }
}
