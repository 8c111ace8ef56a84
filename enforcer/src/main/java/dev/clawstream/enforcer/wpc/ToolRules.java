package dev.clawstream.enforcer.wpc;

import java.util.List;

/**
 * Which tools may open connections. A denied tool is always denied; when {@code allow} is not empty,
 * a tool outside it is denied too. {@code elevated} lists tools that may run with elevated rights.
 */
public record ToolRules(List<ToolRule> allow, List<ToolRule> deny, List<ToolRule> elevated) {

    public static final ToolRules NONE = new ToolRules(List.of(), List.of(), List.of());

    public ToolRules {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        elevated = List.copyOf(elevated);
    }
}
