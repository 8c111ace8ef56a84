package dev.clawstream.enforcer.wpc;

import java.util.Objects;

/** One {@code allowed.providers} entry, e.g. {@code openrouter_via_fal}, at {@code pointer}. */
public record ProviderRule(String provider, String pointer) {

    public ProviderRule {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(pointer, "pointer");
    }
}
