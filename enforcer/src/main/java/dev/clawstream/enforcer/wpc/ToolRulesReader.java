package dev.clawstream.enforcer.wpc;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the tool policy from {@code tools}, or from {@code openclaw.tools} where OpenClaw users already
 * keep it (with OpenClaw's {@code elevated: {"allow": [...]}} spelling). Both at once is refused: two
 * lists for one decision would leave a reader guessing which one wins.
 */
final class ToolRulesReader {

    static final List<String> TOOL_FIELDS = List.of("allow", "deny", "elevated");
    static final List<String> OPENCLAW_FIELDS = List.of("sandbox", "tools");
    static final List<String> SANDBOX_FIELDS = List.of("mode", "workspaceAccess");
    private static final List<String> ELEVATED_FIELDS = List.of("allow");

    private ToolRulesReader() {
    }

    static ToolRules read(WpcValue root) {
        List<ToolRules> found = new ArrayList<>();
        WpcValue tools = root.get("tools");
        tools.ifPresentObject(TOOL_FIELDS, section -> found.add(readSection(section)));
        root.get("openclaw").ifPresentObject(OPENCLAW_FIELDS, openclaw -> {
            openclaw.get("sandbox").ifPresentObject(SANDBOX_FIELDS, sandbox -> {
                sandbox.get("mode").optionalName();
                sandbox.get("workspaceAccess").optionalName();
            });
            WpcValue openclawTools = openclaw.get("tools");
            if (openclawTools.present() && tools.present()) {
                openclawTools.fault("tool rules are already given in $.tools; keep one of the two");
                return;
            }
            openclawTools.ifPresentObject(TOOL_FIELDS, section -> found.add(readSection(section)));
        });
        return found.isEmpty() ? ToolRules.NONE : found.get(0);
    }

    private static ToolRules readSection(WpcValue section) {
        WpcValue elevated = section.get("elevated");
        List<ToolRule> elevatedRules;
        if (elevated.json().isObject()) {
            elevatedRules = elevated.object(ELEVATED_FIELDS) ? rules(elevated.get("allow")) : List.of();
        } else {
            elevatedRules = rules(elevated);
        }
        return new ToolRules(rules(section.get("allow")), rules(section.get("deny")), elevatedRules);
    }

    private static List<ToolRule> rules(WpcValue list) {
        List<ToolRule> rules = new ArrayList<>();
        if (list.present()) {
            for (WpcValue entry : list.elements()) {
                entry.name().ifPresent(tool -> rules.add(new ToolRule(tool, entry.pointer())));
            }
        }
        return rules;
    }

}
