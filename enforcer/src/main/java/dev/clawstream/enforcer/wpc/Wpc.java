package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.schemas.PolicyMode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed, validated Work Policy Contract. Only {@link WpcParser} builds one from text, so every value
 * here has passed the checks of docs/wpc.md; the policy compiler trusts it.
 *
 * @param extendsHashes the WPCs this one layers on, by hash, organisation first ({@code PolicyLayers} composes them)
 */
public record Wpc(
        String name,
        Optional<String> version,
        PolicyMode mode,
        DefaultAction defaultAction,
        EgressRules egress,
        ModelRules models,
        ToolRules tools,
        DataHandling dataHandling,
        List<Sha256Hash> extendsHashes) {

    public Wpc {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(defaultAction, "defaultAction");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(tools, "tools");
        Objects.requireNonNull(dataHandling, "dataHandling");
        extendsHashes = List.copyOf(extendsHashes);
    }
}
