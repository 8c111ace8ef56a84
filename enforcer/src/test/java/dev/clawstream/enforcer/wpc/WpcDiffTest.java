package dev.clawstream.enforcer.wpc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WpcDiffTest {

    private static final String BEFORE = """
            {"name": "triage", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}, "*.github.com"],
                       "ip_cidrs": ["203.0.113.0/24"]},
             "deny": {"ip_cidrs": ["10.0.0.0/8"]},
             "tools": {"allow": ["http_get"], "deny": ["exec"]}}
            """;

    @Test
    void reportsWhatANewVersionWidensAndNarrows() {
        String after = """
                {"name": "triage", "default": "deny", "mode": "monitor",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}, "pypi.org"],
                           "ip_cidrs": ["203.0.113.0/24"]},
                 "deny": {"ip_cidrs": ["10.0.0.0/8", "169.254.0.0/16"]},
                 "tools": {"allow": ["http_get"]}}
                """;

        List<String> changes = WpcDiff.between(parse(BEFORE), parse(after)).stream().map(Object::toString).toList();

        assertThat(changes).containsExactly(
                "+ widens:  allow.domains + pypi.org (default port)",
                "+ widens:  tools.deny - exec",
                "+ widens:  mode enforce -> monitor",
                "- narrows: allow.domains - *.github.com (default port)",
                "- narrows: deny.ip_cidrs + 169.254.0.0/16 (every port)");
    }

    @Test
    void aPortChangeShowsAsTheOldRuleNarrowedAndTheNewOneWidened() {
        String after = BEFORE.replace("\"ports\": [443]", "\"ports\": [443, 8443]");

        List<String> changes = WpcDiff.between(parse(BEFORE), parse(after)).stream().map(Object::toString).toList();

        assertThat(changes).containsExactly(
                "+ widens:  allow.domains + api.openai.com ports [443, 8443]",
                "- narrows: allow.domains - api.openai.com ports [443]");
    }

    @Test
    void bindingARuleToAnAttestationNarrowsItAndAddingALayerNarrows() {
        String layer = "sha256:" + "ab".repeat(32);
        String after = BEFORE.replace("\"*.github.com\"", "{\"pattern\": \"*.github.com\", \"requires_attestation\": \"needs_git\"}")
                .replace("\"default\": \"deny\",", "\"default\": \"deny\", \"extends\": [\"" + layer + "\"],");

        List<String> changes = WpcDiff.between(parse(BEFORE), parse(after)).stream().map(Object::toString).toList();

        assertThat(changes).containsExactly(
                "+ widens:  allow.domains + *.github.com (default port) (requires attestation needs_git)",
                "- narrows: allow.domains - *.github.com (default port)",
                "- narrows: extends + " + layer);
    }

    @Test
    void identicalPoliciesHaveNoChanges() {
        assertThat(WpcDiff.between(parse(BEFORE), parse(BEFORE))).isEmpty();
    }

    private static Wpc parse(String text) {
        WpcParseResult result = WpcParser.parse(text, "test.json");
        assertThat(result).isInstanceOf(WpcParseResult.Valid.class);
        return ((WpcParseResult.Valid) result).wpc();
    }
}
