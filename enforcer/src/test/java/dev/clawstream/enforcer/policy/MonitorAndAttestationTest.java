package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MonitorAndAttestationTest {

    private static final String MONITOR = """
            {"name": "discovery", "default": "deny", "mode": "monitor",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
             "deny": {"domains": ["paste.example.net"], "ip_cidrs": ["10.0.0.0/8"]},
             "allowed": {"models": ["openai/gpt-4o-mini"]},
             "tools": {"deny": ["exec"]}}""";

    private final CompiledPolicy monitor = CompiledPolicyTest.compile(MONITOR);

    @ParameterizedTest(name = "{0} -> {1} {2}, would be {3}")
    @CsvSource(delimiter = '|', textBlock = """
            https://attacker.com/           | ALLOW | MONITOR_MODE       | DEFAULT_DENY
            https://api.openai.com:8443/    | ALLOW | MONITOR_MODE       | PORT_NOT_ALLOWED
            https://api.openai.com/         | ALLOW | ALLOWED_DOMAIN     | ALLOWED_DOMAIN
            https://paste.example.net/      | DENY  | DENIED_DOMAIN      | DENIED_DOMAIN
            http://10.1.2.3/                | DENY  | DENIED_CIDR        | DENIED_CIDR
            http://169.254.169.254/latest/  | DENY  | SPECIAL_PURPOSE_IP | SPECIAL_PURPOSE_IP
            http://metadata.google.internal/| DENY  | SPECIAL_PURPOSE_IP | SPECIAL_PURPOSE_IP
            https://a..b/                   | DENY  | AMBIGUOUS_DESTINATION | AMBIGUOUS_DESTINATION
            """)
    void monitorModeRelaxesOnlyTheDefaultDeny(String url, Verdict verdict, ReasonCode reason, ReasonCode wouldBe) {
        PolicyDecision d = monitor.decideEgress(DestinationParser.parseUrl(url), Optional.empty(), Optional.empty());

        assertThat(d.verdict()).isEqualTo(verdict);
        assertThat(d.reason()).isEqualTo(reason);
        assertThat(d.mode()).isEqualTo(PolicyMode.MONITOR);
        assertThat(d.wouldBeReason()).contains(wouldBe);
        assertThat(d.wouldBeVerdict()).contains(wouldBe.name().startsWith("ALLOWED") ? Verdict.ALLOW : Verdict.DENY);
    }

    @Test
    void monitorModeStillBlocksDeniedToolsAndUnlistedModels() {
        PolicyDecision tool = monitor.decideEgress(DestinationParser.parseUrl("https://attacker.com/"), Optional.empty(),
                Optional.of("exec"));
        assertThat(tool.verdict()).isEqualTo(Verdict.DENY);
        assertThat(tool.reason()).isEqualTo(ReasonCode.TOOL_DENIED);
        assertThat(monitor.decideModelCall("openai", "openai/o3").verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void enforceModeRecordsNoWouldBe() {
        PolicyDecision d = CompiledPolicyTest.compile(MONITOR.replace("\"mode\": \"monitor\"", "\"mode\": \"enforce\""))
                .decideEgress(DestinationParser.parseUrl("https://attacker.com/"), Optional.empty(), Optional.empty());

        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.reason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(d.wouldBeVerdict()).isEmpty();
        assertThat(d.wouldBeReason()).isEmpty();
    }

    private static final String GO = """
            {"name": "builders", "default": "deny",
             "allow": {"domains": ["proxy.golang.org",
                                   {"pattern": "pkg.go.dev", "requires_attestation": "needs_go_packages"}],
                       "ip_cidrs": [{"cidr": "198.51.100.0/24", "requires_attestation": "needs_go_packages"}]}}""";

    private final CompiledPolicy go = CompiledPolicyTest.compile(GO);

    @Test
    void anAttestationBoundRuleAppliesOnlyToAttestedJobs() {
        PolicyDecision attested = go.decideEgress(DestinationParser.parseUrl("https://pkg.go.dev/net/http"),
                Optional.empty(), Optional.empty(), Set.of("needs_go_packages"));
        assertThat(attested.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(attested.matchedRule()).contains("/allow/domains/1");
        assertThat(attested.detail()).contains("needs_go_packages");

        PolicyDecision other = go.decideEgress(DestinationParser.parseUrl("https://pkg.go.dev/net/http"),
                Optional.empty(), Optional.empty(), Set.of("needs_npm_packages"));
        assertThat(other.verdict()).isEqualTo(Verdict.DENY);
        assertThat(other.reason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(other.matchedRule()).isEmpty();

        assertThat(go.decideEgress(DestinationParser.parseUrl("https://proxy.golang.org/"), Optional.empty(),
                Optional.empty(), Set.of()).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void anAttestationBoundCidrRuleAppliesOnlyToAttestedJobs() {
        var url = DestinationParser.parseUrl("https://198.51.100.7/");

        assertThat(go.decideEgress(url, Optional.empty(), Optional.empty(), Set.of("needs_go_packages")).reason())
                .isEqualTo(ReasonCode.ALLOWED_CIDR);
        // Without the rule, a documentation range is special-purpose and nothing else allows it.
        assertThat(go.decideEgress(url, Optional.empty(), Optional.empty(), Set.of()).verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void aRedirectSourceIsJudgedWithoutLendingItsTrust() {
        assertThat(go.enforcedVerdict(DestinationParser.parseUrl("https://proxy.golang.org/x"), Set.of()))
                .isEqualTo(Verdict.ALLOW);
        assertThat(go.enforcedVerdict(DestinationParser.parseUrl("https://pkg.go.dev/"), Set.of()))
                .isEqualTo(Verdict.DENY);
        assertThat(go.enforcedVerdict(DestinationParser.parseUrl("not a url"), Set.of())).isEqualTo(Verdict.DENY);
    }
}
