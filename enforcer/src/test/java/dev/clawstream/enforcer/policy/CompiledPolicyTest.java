package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CompiledPolicyTest {

    static final String REFERENCE = """
            {"name": "reference", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]},
                                   {"pattern": "api.anthropic.com", "ports": [443]},
                                   {"pattern": "*.github.com", "ports": [443]},
                                   "registry.npmjs.org"],
                       "ip_cidrs": [{"cidr": "203.0.113.0/24", "ports": [443]}]},
             "deny": {"domains": ["evil.github.com"], "ip_cidrs": ["10.0.0.0/8"]},
             "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]},
             "tools": {"deny": ["exec"]}}
            """;

    private final CompiledPolicy policy = compile(REFERENCE);

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            https://api.openai.com/v1/chat                | ALLOW | ALLOWED_DOMAIN        | /allow/domains/0
            HTTPS://API.OPENAI.COM./                      | ALLOW | ALLOWED_DOMAIN        | /allow/domains/0
            https://ａｐｉ.openai.com/                      | ALLOW | ALLOWED_DOMAIN        | /allow/domains/0
            https://аpi.openai.com/                       | DENY  | DEFAULT_DENY          |
            https://api.openai.com:8443/                  | DENY  | PORT_NOT_ALLOWED      | /allow/domains/0
            http://api.openai.com/                        | DENY  | PORT_NOT_ALLOWED      | /allow/domains/0
            https://api.openai.com@attacker.com/collect   | DENY  | DEFAULT_DENY          |
            https://attacker.com/collect                  | DENY  | DEFAULT_DENY          |
            https://api.openai.com.attacker.com/          | DENY  | DEFAULT_DENY          |
            https://raw.github.com/x                      | ALLOW | ALLOWED_DOMAIN        | /allow/domains/2
            https://a.b.github.com/                       | ALLOW | ALLOWED_DOMAIN        | /allow/domains/2
            https://github.com/                           | DENY  | DEFAULT_DENY          |
            https://evil.github.com/                      | DENY  | DENIED_DOMAIN         | /deny/domains/0
            https://registry.npmjs.org/left-pad           | ALLOW | ALLOWED_DOMAIN        | /allow/domains/3
            https://registry.npmjs.org:80/                | DENY  | PORT_NOT_ALLOWED      | /allow/domains/3
            https://203.0.113.7/                          | ALLOW | ALLOWED_CIDR          | /allow/ip_cidrs/0
            https://0xcb.0.113.7/                         | ALLOW | ALLOWED_CIDR          | /allow/ip_cidrs/0
            https://[::ffff:203.0.113.7]/                 | ALLOW | ALLOWED_CIDR          | /allow/ip_cidrs/0
            https://203.0.113.7:22/                       | DENY  | SPECIAL_PURPOSE_IP    |
            http://169.254.169.254/latest/meta-data/      | DENY  | SPECIAL_PURPOSE_IP    |
            http://2852039166/                            | DENY  | SPECIAL_PURPOSE_IP    |
            http://[::ffff:a9fe:a9fe]/                    | DENY  | SPECIAL_PURPOSE_IP    |
            http://[64:ff9b::a9fe:a9fe]/                  | DENY  | SPECIAL_PURPOSE_IP    |
            http://metadata.google.internal/              | DENY  | SPECIAL_PURPOSE_IP    |
            http://127.1/                                 | DENY  | SPECIAL_PURPOSE_IP    |
            http://10.1.2.3/                              | DENY  | DENIED_CIDR           | /deny/ip_cidrs/0
            http://167772161/                             | DENY  | DENIED_CIDR           | /deny/ip_cidrs/0
            http://[::ffff:10.0.0.1]/                     | DENY  | DENIED_CIDR           | /deny/ip_cidrs/0
            http://8.8.8.8/                               | DENY  | DEFAULT_DENY          |
            https://evil.com\\@api.openai.com/             | DENY  | AMBIGUOUS_DESTINATION |
            http://[fe80::1%25eth0]/                      | DENY  | AMBIGUOUS_DESTINATION |
            https://a@b@api.openai.com/                   | DENY  | AMBIGUOUS_DESTINATION |
            http://425.510.425.510/                       | DENY  | INVALID_DESTINATION   |
            gopher://127.0.0.1:6379/_INFO                 | DENY  | INVALID_DESTINATION   |
            """)
    void decidesTheReferenceCorpus(String url, Verdict verdict, ReasonCode reason, String rule) {
        PolicyDecision decision = policy.decideEgress(DestinationParser.parseUrl(url), Optional.empty(), Optional.empty());

        assertThat(decision.verdict()).as(decision.detail()).isEqualTo(verdict);
        assertThat(decision.reason()).as(decision.detail()).isEqualTo(reason);
        assertThat(decision.matchedRule()).isEqualTo(Optional.ofNullable(rule));
        assertThat(decision.wpcHash()).contains(policy.hash());
    }

    @Test
    void everyAdversarialDestinationGetsItsExpectedVerdict() throws Exception {
        List<String> failures = new java.util.ArrayList<>();
        var cases = dev.clawstream.enforcer.destination.AdversarialDestinationTest.load();
        for (var c : cases) {
            PolicyDecision d = policy.decideEgress(DestinationParser.parseUrl(c.input()), Optional.empty(), Optional.empty());
            String actual = d.verdict() == Verdict.ALLOW ? "ALLOW" : "DENY:" + d.reason();
            if (!actual.equals(c.verdict())) {
                failures.add("line " + c.line() + " " + c.input() + ": " + actual + ", want " + c.verdict() + " (" + d.detail() + ")");
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(failures).isEmpty();
    }

    @Test
    void anAllowedNameThatResolvesToMetadataIsDeniedAsDnsRebinding() {
        PolicyDecision decision = policy.decideEgress(DestinationParser.parseUrl("https://api.openai.com/"),
                Optional.of("169.254.169.254"), Optional.empty());

        assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
        assertThat(decision.reason()).isEqualTo(ReasonCode.SPECIAL_PURPOSE_IP);
        assertThat(decision.detail()).isEqualTo("resolved IP 169.254.169.254 is cloud-metadata (169.254.169.254/32)"
                + " and no allow.ip_cidrs entry allows it");
    }

    @Test
    void anAllowedNameThatResolvesIntoADeniedRangeIsDenied() {
        PolicyDecision decision = policy.decideEgress(DestinationParser.parseUrl("https://api.openai.com/"),
                Optional.of("::ffff:10.9.9.9"), Optional.empty());

        assertThat(decision.reason()).isEqualTo(ReasonCode.DENIED_CIDR);
        assertThat(decision.matchedRule()).contains("/deny/ip_cidrs/0");
    }

    @Test
    void anUnreadableResolvedIpIsDenied() {
        assertThat(policy.decideEgress(DestinationParser.parseUrl("https://api.openai.com/"), Optional.of("0x7f.1"),
                Optional.empty()).reason()).isEqualTo(ReasonCode.INVALID_DESTINATION);
    }

    @Test
    void aDeniedToolIsDeniedEvenToAnAllowedHost() {
        PolicyDecision decision = policy.decideEgress(DestinationParser.parseUrl("https://api.openai.com/"),
                Optional.empty(), Optional.of("exec"));

        assertThat(decision.reason()).isEqualTo(ReasonCode.TOOL_DENIED);
        assertThat(decision.matchedRule()).contains("/tools/deny/0");
    }

    @Test
    void modelCallsNeedTheProviderAndTheExactModel() {
        assertThat(policy.decideModelCall("openrouter", "openai/gpt-4o-mini").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(policy.decideModelCall("openrouter", "openai/gpt-4o").reason()).isEqualTo(ReasonCode.MODEL_NOT_ALLOWED);
        assertThat(policy.decideModelCall("openai", "openai/gpt-4o-mini").reason())
                .isEqualTo(ReasonCode.PROVIDER_NOT_ALLOWED);
    }

    @Test
    void monitorModeAllowsButRecordsTheWouldBeVerdict() {
        CompiledPolicy monitor = compile(REFERENCE.replace("\"default\": \"deny\"", "\"default\": \"deny\", \"mode\": \"monitor\""));

        PolicyDecision decision = monitor.decideEgress(DestinationParser.parseUrl("https://attacker.com/"),
                Optional.empty(), Optional.empty());

        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(decision.reason()).isEqualTo(ReasonCode.MONITOR_MODE);
        assertThat(decision.wouldBeVerdict()).contains(Verdict.DENY);
        assertThat(decision.wouldBeReason()).contains(ReasonCode.DEFAULT_DENY);
        assertThat(decision.mode()).isEqualTo(PolicyMode.MONITOR);
    }

    @Property(tries = 200)
    void denyWinsOverAnyAllowForTheSameAddress(@ForAll @IntRange(min = 0, max = 255) int c,
                                               @ForAll @IntRange(min = 0, max = 255) int d) {
        CompiledPolicy both = compile("""
                {"name": "both", "default": "deny",
                 "allow": {"ip_cidrs": [{"cidr": "198.51.100.0/24", "ports": [443]}], "domains": ["x.example.com"]},
                 "deny": {"ip_cidrs": ["198.51.100.%d/32"], "domains": ["x.example.com"]}}
                """.formatted(c));
        String address = "198.51.100." + c;

        assertThat(both.decideEgress(DestinationParser.parseUrl("https://" + address + "/"), Optional.empty(),
                Optional.empty()).reason()).isEqualTo(ReasonCode.DENIED_CIDR);
        assertThat(both.decideEgress(DestinationParser.parseUrl("https://x.example.com/"), Optional.empty(),
                Optional.empty()).reason()).isEqualTo(ReasonCode.DENIED_DOMAIN);
        if (d != c) {
            assertThat(both.decideEgress(DestinationParser.parseUrl("https://198.51.100." + d + "/"), Optional.empty(),
                    Optional.empty()).verdict()).isEqualTo(Verdict.ALLOW);
        }
    }

    @Property(tries = 200)
    void everySpellingOfAnAddressGetsTheSameDecision(@ForAll @IntRange(min = 0, max = 255) int a,
                                                     @ForAll @IntRange(min = 0, max = 255) int d) {
        long value = ((long) a << 24) | (113L << 8) | d;
        List<String> spellings = List.of(a + ".0.113." + d, Long.toString(value), "0x" + Long.toHexString(value),
                a + ".0." + ((113 << 8) | d), "[::ffff:" + a + ".0.113." + d + "]");
        var expected = policy.decideEgress(DestinationParser.parseUrl("https://" + spellings.get(0) + "/"),
                Optional.empty(), Optional.empty());
        for (String spelling : spellings) {
            var decision = policy.decideEgress(DestinationParser.parseUrl("https://" + spelling + "/"),
                    Optional.empty(), Optional.empty());
            assertThat(decision.verdict()).as(spelling).isEqualTo(expected.verdict());
            assertThat(decision.reason()).as(spelling).isEqualTo(expected.reason());
        }
    }

    static CompiledPolicy compile(String json) {
        WpcParseResult result = WpcParser.parse(json, "test.json");
        assertThat(result).as(result.toString()).isInstanceOf(WpcParseResult.Valid.class);
        WpcParseResult.Valid valid = (WpcParseResult.Valid) result;
        return CompiledPolicy.compile(valid.wpc(), valid.document().hash());
    }
}
