package dev.clawstream.enforcer.decision;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyLayers;

import java.util.Optional;

/** The verified WPCs the enforcer knows: by hash, and the latest of each name. */
public interface WpcCatalog {

    /** One WPC compiled on its own, its {@code extends} not applied. */
    Optional<CompiledPolicy> byHash(Sha256Hash hash);

    Optional<CompiledPolicy> latestByName(String name);

    /** The effective policy of {@code wpc}: it and every layer it extends (fail closed). */
    default CompiledPolicy effective(CompiledPolicy wpc) throws PolicyLayers.LayerException {
        return PolicyLayers.resolve(wpc, this::byHash);
    }
}
