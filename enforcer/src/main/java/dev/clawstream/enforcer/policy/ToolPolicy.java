package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.ToolRule;
import dev.clawstream.enforcer.wpc.ToolRules;
import dev.clawstream.schemas.ReasonCode;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the tool that opened a connection, when the sidecar names one: a denied tool is denied, and
 * when the WPC lists allowed tools, every other tool is denied too. An event that names no tool is
 * left to the destination rules.
 */
final class ToolPolicy {

    private final Map<String, ToolRule> allow = new HashMap<>();
    private final Map<String, ToolRule> deny = new HashMap<>();

    ToolPolicy(ToolRules rules) {
        rules.allow().forEach(t -> allow.putIfAbsent(t.tool(), t));
        rules.deny().forEach(t -> deny.putIfAbsent(t.tool(), t));
    }

    /** A denial for {@code tool}, or empty when the tool may proceed to the destination checks. */
    Optional<Outcome> denial(Optional<String> tool) {
        if (tool.isEmpty()) {
            return Optional.empty();
        }
        ToolRule denied = deny.get(tool.get());
        if (denied != null) {
            return Optional.of(Outcome.deny(ReasonCode.TOOL_DENIED, denied.pointer(),
                    "tool '" + tool.get() + "' is in tools.deny"));
        }
        if (!allow.isEmpty() && !allow.containsKey(tool.get())) {
            return Optional.of(Outcome.deny(ReasonCode.TOOL_DENIED, "/tools/allow",
                    "tool '" + tool.get() + "' is not in tools.allow"));
        }
        return Optional.empty();
    }
}
