package dev.clawstream.alerter.rules;

import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RulesParserTest {

    private static List<String> errors(String yaml) {
        RulesParseResult result = RulesParser.parse(yaml, "rules.yaml");
        assertThat(result).isInstanceOf(RulesParseResult.Invalid.class);
        return ((RulesParseResult.Invalid) result).errors().stream().map(RulesError::toString).toList();
    }

    private static RuleSet valid(String yaml) {
        RulesParseResult result = RulesParser.parse(yaml, "rules.yaml");
        assertThat(result).isInstanceOf(RulesParseResult.Valid.class);
        return ((RulesParseResult.Valid) result).rules();
    }

    @Test
    void readsTheSeedsSampleAlertConfigurationAsWritten() {
        // The sample from the egress-controls guide, with its indentation normalised to valid YAML.
        RuleSet rules = valid("""
                alerts:
                - name: blocked_request_spike
                  condition: blocked_requests > 100 in 5 minutes
                  severity: high
                  notify: security@company.com
                - name: suspicious_domain_attempt
                  condition: domain matches *.xyz, *.tk, *.ml
                  severity: critical
                  notify: [security@company.com, oncall]
                """);
        assertThat(rules.rules()).hasSize(2);
        Rule spike = rules.rules().get(0);
        assertThat(spike.condition()).isEqualTo(new Condition.BlockedSpike(Scope.AGENT, 100, Duration.ofMinutes(5)));
        assertThat(spike.severity()).isEqualTo(Severity.HIGH);
        assertThat(spike.notifyLabels()).containsExactly("security@company.com");
        assertThat(spike.dedupeWindow()).isEqualTo(Duration.ofMinutes(5));
        Rule tld = rules.rules().get(1);
        assertThat(tld.condition()).isEqualTo(new Condition.SuspiciousTld(List.of("xyz", "tk", "ml")));
        assertThat(tld.notifyLabels()).containsExactly("security@company.com", "oncall");
        assertThat(tld.dedupeWindow()).isEqualTo(Duration.ofHours(1));
        assertThat(rules.grace()).isEqualTo(RuleSet.DEFAULT_GRACE);
    }

    @Test
    void thresholdAndWindowMayBeFieldsAndJsonIsReadToo() {
        RuleSet rules = valid("""
                {"grace": "PT1M", "alerts": [{"name": "spike", "condition": "fleet_blocked_requests",
                  "threshold": 500, "window": "10 min", "severity": "medium", "dedupe_window": "1 hour"}]}
                """);
        assertThat(rules.grace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rules.rules().get(0).condition())
                .isEqualTo(new Condition.BlockedSpike(Scope.FLEET, 500, Duration.ofMinutes(10)));
        assertThat(rules.rules().get(0).dedupeWindow()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void theDefaultRulesCoverEveryAlertKind() {
        RuleSet defaults = RulesParser.defaults();
        assertThat(defaults.rules()).extracting(r -> r.condition().kind()).containsAll(
                List.of(AlertKind.BLOCKED_SPIKE, AlertKind.SUSPICIOUS_TLD, AlertKind.TYPOSQUAT, AlertKind.DNS_TUNNEL,
                        AlertKind.UNUSUAL_VOLUME, AlertKind.NEW_DESTINATION, AlertKind.UNEXPECTED_AGENT,
                        AlertKind.POLICY_BYPASS));
        assertThat(defaults.byName("suspicious_domain_attempt").orElseThrow().condition())
                .isEqualTo(new Condition.SuspiciousTld(List.of("xyz", "tk", "ml", "ga", "cf", "gq", "top", "zip", "mov")));
        Rule tld = defaults.byName("suspicious_domain_attempt").orElseThrow();
        assertThat(tld.severity(true)).isEqualTo(Severity.CRITICAL);
        assertThat(tld.severity(false)).isEqualTo(Severity.HIGH);
    }

    @Test
    void everyFaultIsReportedWithItsLineColumnAndField() {
        assertThat(errors("""
                alerts:
                - name: spike
                  condition: blocked_requests > lots in 5 minutes
                  severity: high
                - name: spike
                  condition: domain matches *.xyz
                  severity: urgent
                  colour: red
                - name: Bad Name
                  condition: bytes_out > 4 sigma in 5 fortnights
                  severity: low
                - condition: first_contact
                  retention: forever
                  severity: low
                - name: tunnel
                  condition: tunnel_shaped_name
                  min_entropy: "high"
                  severity: low
                """)).containsExactly(
                "rules.yaml:3:14 $.alerts[0].condition: 'lots' is not a number",
                "rules.yaml:5:9 $.alerts[1].name: duplicate rule name 'spike' (first at 2:9)",
                "rules.yaml:7:13 $.alerts[1].severity: 'urgent' is not a severity (info, low, medium, high, critical)",
                "rules.yaml:8:3 $.alerts[1].colour: unknown field 'colour' here; expected [condition, dedupe_window, "
                        + "enabled, name, notify, severity, severity_when_denied]",
                "rules.yaml:9:9 $.alerts[2].name: 'Bad Name' is not a rule name: lower-case letters, digits, '_', '.', "
                        + "'-', at most 64",
                "rules.yaml:10:14 $.alerts[2].condition: '5 fortnights' is not a duration (write e.g. '5 minutes', "
                        + "'30s', '1 hour', 'PT5M')",
                "rules.yaml:12:3 $.alerts[3].name: missing",
                "rules.yaml:13:14 $.alerts[3].retention: 'forever' is not a duration (write e.g. '5 minutes', '30s', "
                        + "'1 hour', 'PT5M')",
                "rules.yaml:17:16 $.alerts[4].min_entropy: expected a number");
    }

    @Test
    void unknownConditionsDuplicateKeysAndBrokenYamlAreRefused() {
        assertThat(errors("""
                alerts:
                - name: x
                  condition: requests_to_mars > 3
                  severity: low
                """)).singleElement().asString().startsWith("rules.yaml:3:14 $.alerts[0].condition: unknown condition "
                + "'requests_to_mars > 3'");
        assertThat(errors("""
                alerts:
                - name: x
                  condition: unexpected_agent
                  severity: low
                  severity: high
                """)).containsExactly("rules.yaml:5:3 $.alerts[0].severity: duplicate key \"severity\" (first at 4:3)");
        assertThat(errors("alerts: [\n  {name: x\n")).singleElement().asString().startsWith("rules.yaml:");
        assertThat(errors("")).containsExactly("rules.yaml:1:1 $: the file is empty");
        assertThat(errors("rules: []")).contains("rules.yaml:1:1 $.rules: unknown field 'rules' here; expected [alerts, grace]");
    }

    @Test
    void fieldsOfAnotherConditionAndThresholdsGivenTwiceAreRefused() {
        assertThat(errors("""
                alerts:
                - name: x
                  condition: blocked_requests > 5 in 1 minute
                  threshold: 6
                  retention: 3 days
                  severity: low
                """)).containsExactly(
                "rules.yaml:4:3 $.alerts[0].threshold: the condition already gives the threshold ('> 5')",
                "rules.yaml:5:3 $.alerts[0].retention: unknown field 'retention' here; expected [condition, "
                        + "dedupe_window, enabled, name, notify, severity, severity_when_denied, threshold, window]");
    }

    @Test
    void aDisabledRuleIsReadButNotRun() {
        RuleSet rules = valid("""
                alerts:
                - name: off
                  condition: first_contact
                  severity: info
                  enabled: false
                """);
        assertThat(rules.rules()).isEmpty();
    }
}
