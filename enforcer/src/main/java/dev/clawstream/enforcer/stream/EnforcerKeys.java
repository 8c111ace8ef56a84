package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.TrustedKeys;

import java.util.Objects;

/** Whose signatures the enforcer believes: WPC publishers, token issuers, LLM gateways. */
public record EnforcerKeys(TrustedKeys publishers, TrustedKeys issuers, TrustedKeys gateways) {
    public EnforcerKeys {
        Objects.requireNonNull(publishers, "publishers");
        Objects.requireNonNull(issuers, "issuers");
        Objects.requireNonNull(gateways, "gateways");
    }
}
