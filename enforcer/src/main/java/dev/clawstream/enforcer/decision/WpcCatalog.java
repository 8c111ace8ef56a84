package dev.clawstream.enforcer.decision;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.policy.CompiledPolicy;

import java.util.Optional;

/** The verified WPCs the enforcer knows: by hash, and the latest of each name. */
public interface WpcCatalog {

    Optional<CompiledPolicy> byHash(Sha256Hash hash);

    Optional<CompiledPolicy> latestByName(String name);
}
