package dev.clawstream.enforcer.wpc;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code allowed.models} entry: {@code provider:model-id} ({@code openrouter:openai/gpt-4o-mini})
 * or a plain model id. A gateway receipt matches on {@code id}, compared exactly.
 *
 * @param id       the entry as written
 * @param provider the part before the first ':', if any
 * @param model    the model id after the provider prefix
 */
public record ModelRule(String id, Optional<String> provider, String model, String pointer) {

    public ModelRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(pointer, "pointer");
    }

    /** Splits {@code provider:model-id}; a missing side of the ':' is refused. */
    public static Checked<ModelRule> parse(String id, String pointer) {
        int colon = id.indexOf(':');
        if (colon < 0) {
            return Checked.ok(new ModelRule(id, Optional.empty(), id, pointer));
        }
        if (colon == 0 || colon == id.length() - 1) {
            return Checked.problem("\"" + id + "\" is neither provider:model-id nor a plain model id");
        }
        return Checked.ok(new ModelRule(id, Optional.of(id.substring(0, colon)), id.substring(colon + 1), pointer));
    }
}
