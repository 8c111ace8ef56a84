package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.enforcer.wpc.WpcDiff;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AllowlistEditTest {

    private static final JsonNode BASE = read("""
            {"wpc_version": "v1", "name": "team", "version": "3", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443], "note": "model API"}, "pypi.org"],
                       "ip_cidrs": ["151.101.0.0/16"]},
             "deny": {"ip_cidrs": ["169.254.0.0/16"]},
             "tools": {"allow": ["read"]}}
            """);

    private static JsonNode read(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> diff(JsonNode before, JsonNode after) {
        return WpcDiff.between(Policies.parse(before).wpc(), Policies.parse(after).wpc()).stream()
                .map(WpcDiff.Change::toString).toList();
    }

    @Test
    void addingADomainWidensExactlyThatDomainOnThatPort() {
        JsonNode next = AllowlistEdit.add(BASE, AllowlistEdit.target("api.slack.com"), 443);

        assertThat(diff(BASE, next)).containsExactly("+ widens:  allow.domains + api.slack.com ports [443]");
        assertThat(Policies.decide(next, "api.slack.com", 443)).isEqualTo(Verdict.ALLOW);
        assertThat(Policies.decide(next, "api.slack.com", 8443)).isEqualTo(Verdict.DENY);
        assertThat(Policies.decide(BASE, "api.slack.com", 443)).isEqualTo(Verdict.DENY);
        // Everything else the author wrote is carried over.
        assertThat(next.path("tools")).isEqualTo(BASE.path("tools"));
        assertThat(next.at("/allow/domains/0/note").asText()).isEqualTo("model API");
    }

    @Test
    void addingAPortToAListedRuleExtendsThatRule() {
        JsonNode next = AllowlistEdit.add(BASE, AllowlistEdit.target("API.OpenAI.com"), 8443);

        assertThat(next.at("/allow/domains/0/ports").toString()).isEqualTo("[443,8443]");
        assertThat(diff(BASE, next)).containsExactly(
                "+ widens:  allow.domains + api.openai.com ports [443, 8443]",
                "- narrows: allow.domains - api.openai.com ports [443]");
    }

    @Test
    void addingWhatIsAllowedAlreadyIsRefused() {
        assertThatThrownBy(() -> AllowlistEdit.add(BASE, AllowlistEdit.target("api.openai.com"), 443))
                .hasMessageContaining("already");
        assertThatThrownBy(() -> AllowlistEdit.add(BASE, AllowlistEdit.target("pypi.org"), 443))
                .hasMessageContaining("already");
    }

    @Test
    void addingACidrGoesIntoIpCidrs() {
        JsonNode next = AllowlistEdit.add(BASE, AllowlistEdit.target("203.0.114.0/24"), 22);

        assertThat(next.at("/allow/ip_cidrs/1").toString()).isEqualTo("{\"cidr\":\"203.0.114.0/24\",\"ports\":[22]}");
        assertThat(Policies.decide(next, "203.0.114.9", 22)).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void removingNarrowsAndRemovingWhatIsNotThereIsRefused() {
        JsonNode next = AllowlistEdit.remove(BASE, AllowlistEdit.target("pypi.org"), Optional.empty());

        assertThat(diff(BASE, next)).containsExactly("- narrows: allow.domains - pypi.org (default port)");
        assertThat(Policies.decide(next, "pypi.org", 443)).isEqualTo(Verdict.DENY);
        assertThatThrownBy(() -> AllowlistEdit.remove(next, AllowlistEdit.target("pypi.org"), Optional.empty()))
                .hasMessageContaining("not in allow.domains");
    }

    @Test
    void removingOnePortKeepsTheOthers() {
        JsonNode two = AllowlistEdit.add(BASE, AllowlistEdit.target("api.openai.com"), 8443);
        JsonNode next = AllowlistEdit.remove(two, AllowlistEdit.target("api.openai.com"), Optional.of(443));

        assertThat(Policies.decide(next, "api.openai.com", 443)).isEqualTo(Verdict.DENY);
        assertThat(Policies.decide(next, "api.openai.com", 8443)).isEqualTo(Verdict.ALLOW);
        assertThatThrownBy(() -> AllowlistEdit.remove(BASE, AllowlistEdit.target("pypi.org"), Optional.of(443)))
                .hasMessageContaining("without --port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"169.254.169.254", "169.254.0.0/16", "10.0.0.0/8", "10.1.2.0/24", "0.0.0.0/0",
            "127.0.0.1", "192.168.1.0/24", "172.16.0.0/12", "100.64.0.0/10", "::1", "fe80::/10", "fd00::/8",
            "::ffff:a9fe:a9fe", "::/0", "metadata.google.internal", "localhost", "db.localhost"})
    void specialPurposeDestinationsAreFlagged(String destination) {
        assertThat(AllowlistEdit.target(destination).whySpecial()).as(destination).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "151.101.0.0/16", "2606:4700::/32", "api.slack.com", "*.example.com"})
    void publicDestinationsAreNotFlagged(String destination) {
        assertThat(AllowlistEdit.target(destination).whySpecial()).as(destination).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.slack.com", "api.*.com", "*.com", "10.0.0.1/8", "010.0.0.0/8", "a..b"})
    void invalidDestinationsAreRefusedWithTheParsersReason(String destination) {
        assertThatThrownBy(() -> AllowlistEdit.target(destination)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @Test
    void anAllowUnderADenyRuleIsReportedAsShadowed() {
        var wpc = Policies.parse(AllowlistEdit.add(BASE, AllowlistEdit.target("169.254.10.0/24"), 443)).wpc();

        assertThat(AllowlistEdit.shadowingDenyRules(wpc, AllowlistEdit.target("169.254.10.0/24")))
                .containsExactly("/deny/ip_cidrs/0 169.254.0.0/16");
        assertThat(AllowlistEdit.shadowingDenyRules(wpc, AllowlistEdit.target("151.101.0.0/16"))).isEmpty();
    }
}
