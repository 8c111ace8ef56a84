package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.schemas.ReasonCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a WPC's {@code extends} into its effective policy (docs/wpc.md, Layers): depth first, each
 * WPC after the WPCs it extends, in the order it lists them, a layer reached twice placed once. Fail
 * closed: a layer that is not known (or whose signature failed, so was never admitted), a cycle or too
 * many layers is a {@link LayerException}, never a layer quietly left out — leaving out an
 * organisation's layer would drop its denials.
 */
public final class PolicyLayers {

    /** Organisation, workload class, agent leaves room to spare; a cap on what untrusted input can make us walk. */
    public static final int MAX_LAYERS = 16;

    /** Where the layers come from: the verified WPCs by hash, each compiled on its own. */
    @FunctionalInterface
    public interface Lookup {
        Optional<CompiledPolicy> byHash(Sha256Hash hash);
    }

    private PolicyLayers() {
    }

    /** {@code leaf} composed with every layer it extends, directly or not; {@code leaf} itself when it extends none. */
    public static CompiledPolicy resolve(CompiledPolicy leaf, Lookup lookup) throws LayerException {
        if (leaf.wpc().extendsHashes().isEmpty()) {
            return leaf;
        }
        Map<Sha256Hash, CompiledPolicy> placed = new LinkedHashMap<>();
        place(leaf, lookup, new LinkedHashSet<>(), placed);
        return CompiledPolicy.layered(new ArrayList<>(placed.values()));
    }

    private static void place(CompiledPolicy wpc, Lookup lookup, Set<Sha256Hash> path,
                              Map<Sha256Hash, CompiledPolicy> placed) throws LayerException {
        if (!path.add(wpc.hash())) {
            throw new LayerException(ReasonCode.WPC_LAYER_INVALID, "WPC " + wpc.hash() + " extends itself: " + path);
        }
        for (Sha256Hash parentHash : wpc.wpc().extendsHashes()) {
            if (placed.containsKey(parentHash)) {
                continue;
            }
            CompiledPolicy parent = lookup.byHash(parentHash).orElseThrow(() -> new LayerException(
                    ReasonCode.WPC_LAYER_MISSING, "layer " + parentHash + " (extended by " + wpc.hash()
                    + ") is not a known, verified WPC"));
            place(parent, lookup, path, placed);
        }
        path.remove(wpc.hash());
        placed.put(wpc.hash(), wpc);
        if (placed.size() > MAX_LAYERS) {
            throw new LayerException(ReasonCode.WPC_LAYER_INVALID, "more than " + MAX_LAYERS + " layers");
        }
    }

    /** Why a WPC's layers could not be composed; every request under it is denied with this reason. */
    public static final class LayerException extends Exception {
        private final ReasonCode reason;

        public LayerException(ReasonCode reason, String detail) {
            super(detail);
            this.reason = reason;
        }

        public ReasonCode reason() {
            return reason;
        }
    }
}
