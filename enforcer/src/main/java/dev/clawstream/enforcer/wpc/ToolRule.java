package dev.clawstream.enforcer.wpc;

import java.util.Objects;

/** One tool name in a tool list, e.g. {@code exec} at {@code /tools/deny/0}. */
public record ToolRule(String tool, String pointer) {

    public ToolRule {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(pointer, "pointer");
    }
}
