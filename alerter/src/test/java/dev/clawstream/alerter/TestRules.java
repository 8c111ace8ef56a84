package dev.clawstream.alerter;

import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.RulesParseResult;
import dev.clawstream.alerter.rules.RulesParser;

/** Rules from YAML text, through the production parser. */
public final class TestRules {

    private TestRules() {
    }

    public static RuleSet parse(String yaml) {
        RulesParseResult result = RulesParser.parse(yaml, "test.yaml");
        if (result instanceof RulesParseResult.Invalid invalid) {
            throw new AssertionError("invalid test rules: " + invalid.errors());
        }
        return ((RulesParseResult.Valid) result).rules();
    }

    /** One rule with this condition (and extra YAML lines, indented by the caller), critical/high. */
    public static Rule rule(String condition, String... extra) {
        StringBuilder yaml = new StringBuilder("alerts:\n- name: r\n  condition: \"" + condition + "\"\n"
                + "  severity: critical\n  severity_when_denied: high\n  notify: [soc]\n");
        for (String line : extra) {
            yaml.append("  ").append(line).append('\n');
        }
        return parse(yaml.toString()).rules().get(0);
    }
}
