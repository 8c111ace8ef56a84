package dev.clawstream.alerter.rules;

import java.util.List;

/**
 * Model providers' API hosts: an agent's direct connection to one of these, rather than to the
 * gateway, is a model call that leaves no receipt. {@code *.} patterns match any depth.
 */
public final class ProviderHosts {

    public static final List<String> DEFAULT = List.of(
            "api.openai.com", "api.anthropic.com", "generativelanguage.googleapis.com", "api.mistral.ai",
            "api.cohere.com", "api.cohere.ai", "openrouter.ai", "api.groq.com", "api.together.xyz",
            "api.together.ai", "api.deepseek.com", "api.perplexity.ai", "api.fireworks.ai", "api.x.ai",
            "*.openai.azure.com");

    private ProviderHosts() {
    }
}
