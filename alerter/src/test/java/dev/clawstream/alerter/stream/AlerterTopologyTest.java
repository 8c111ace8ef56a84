package dev.clawstream.alerter.stream;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.RulesParser;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.enforcer.stream.DeadLetterHandler;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.Evidence;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SampleRecords;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

class AlerterTopologyTest {

    private static final AlerterTopics TOPICS = AlerterTopics.withPrefix("t.");
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Decision> decisions;
    private TestInputTopic<String, CstRecord> bindings;
    private TestOutputTopic<String, Alert> alerts;

    private Topology start(String rulesYaml) {
        return start(TestRules.parse("grace: " + GRACE.toSeconds() + " seconds\n" + rulesYaml));
    }

    private Topology start(RuleSet rules) {
        StreamsBuilder builder = new StreamsBuilder();
        AlerterTopology.buildInto(builder, TOPICS, registry, rules);
        Topology topology = builder.build();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerter-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, "t.deadletter");
        props.put(DeadLetterHandler.STAGE_CONFIG, "alerter");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        driver = new TopologyTestDriver(topology, props);
        var s = Serdes.String().serializer();
        decisions = driver.createInputTopic(TOPICS.decisions(), s, AvroSerdes.specific(Decision.class, registry, true).serializer());
        bindings = driver.createInputTopic(TOPICS.cstBindings(), s, AvroSerdes.specific(CstRecord.class, registry, true).serializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), Serdes.String().deserializer(),
                AvroSerdes.specific(Alert.class, registry, true).deserializer());
        return topology;
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    /** Pipes a decision; its record timestamp is the enforcer's (later) one, the event time is inside. */
    private void pipe(TestDecision d) {
        Decision decision = d.build();
        decisions.pipeInput(decision.getJobId(), decision, decision.getTime().plusSeconds(3600));
    }

    private static TestDecision denied(String id, Instant at) {
        return TestDecision.egress(id).at(at).url("https://attacker.example/" + id).denied(ReasonCode.DEFAULT_DENY);
    }

    // ---- blocked-request spike

    @Test
    void blockedSpikeRaisesOneAlertKeyedByAgentAndATallyWhenItsWindowCloses() {
        start("""
                alerts:
                - name: spike
                  condition: blocked_requests > 3 in 1 minute
                  severity: high
                  notify: [soc]
                """);
        for (int i = 0; i < 10; i++) {
            pipe(denied("e-" + i, T0.plusSeconds(i)));
        }
        List<KeyValue<String, Alert>> out = alerts.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("agent-1");
            assertThat(kv.value.getKind()).isEqualTo(AlertKind.BLOCKED_SPIKE);
            assertThat(kv.value.getCount()).isEqualTo(4);
            assertThat(kv.value.getNotify()).containsExactly("soc");
            assertThat(kv.value.getWpcHash()).isEqualTo(TestDecision.WPC);
            assertThat(kv.value.getEvidence()).extracting(Evidence::getEventId).containsExactly("e-3");
        });
        // The dedupe window is the rule's window from the first alert (T0+3s); a later record moves stream time.
        pipe(TestDecision.egress("tick").at(T0.plusSeconds(3).plus(WINDOW).plus(DetectionProcessor.TICK)));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(out.get(0).value.getAlertId());
            assertThat(a.getSuppressed()).isEqualTo(6);
            assertThat(a.getCount()).isEqualTo(10);
        });
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void blockedSpikeAtTheThresholdOrFromLateEventsPastTheGraceDoesNotAlert() {
        start("""
                alerts:
                - name: spike
                  condition: blocked_requests > 3 in 1 minute
                  severity: high
                """);
        for (int i = 0; i < 3; i++) {
            pipe(denied("e-" + i, T0.plusSeconds(i)));
        }
        // Stream time jumps to T0 + 10 min: events at or before (stream time - window - grace) are late.
        Instant now = T0.plus(Duration.ofMinutes(10));
        pipe(TestDecision.egress("tick").at(now));
        Instant edge = now.minus(WINDOW).minus(GRACE);
        pipe(denied("late-1", edge));
        pipe(denied("late-2", edge));
        pipe(denied("late-3", edge));
        pipe(denied("late-4", edge));
        assertThat(alerts.isEmpty()).isTrue();
        // One millisecond later the window is still open: four of them make a spike.
        for (int i = 0; i < 4; i++) {
            pipe(denied("open-" + i, edge.plusMillis(1)));
        }
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getEvidence().get(0).getEventId()).isEqualTo("open-3"));
    }

    @Test
    void fleetSpikeCountsEveryAgentTogether() {
        start("""
                alerts:
                - name: fleet
                  condition: fleet_blocked_requests > 3 in 1 minute
                  severity: high
                """);
        for (int i = 0; i < 3; i++) {
            pipe(denied("e-" + i, T0.plusSeconds(i)).agent("agent-" + i).job("job-" + i));
        }
        assertThat(alerts.isEmpty()).isTrue();
        pipe(denied("e-3", T0.plusSeconds(3)).agent("agent-3").job("job-3"));
        assertThat(alerts.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("*");
            assertThat(kv.value.getJobId()).isNull();
        });
    }

    // ---- destinations

    @Test
    void suspiciousTldIsCriticalWhenAllowedHighWhenDeniedAndSilentOtherwise() {
        start("""
                alerts:
                - name: tld
                  condition: domain matches *.xyz, *.tk
                  severity: critical
                  severity_when_denied: high
                """);
        pipe(TestDecision.egress("ok").url("https://pypi.org/simple/"));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("a").url("https://drop.evil.xyz/up"));
        pipe(TestDecision.egress("d").agent("agent-2").url("https://free.tk/").denied(ReasonCode.DEFAULT_DENY));
        assertThat(alerts.readValuesToList()).extracting(Alert::getSeverity)
                .containsExactly(Severity.CRITICAL, Severity.HIGH);
    }

    @Test
    void typosquatOfAWellKnownDomainAlertsAndTheRealDomainDoesNot() {
        start("""
                alerts:
                - name: typosquat
                  condition: domain resembles well_known
                  severity: critical
                """);
        pipe(TestDecision.egress("real").url("https://api.openai.com/v1/chat/completions"));
        pipe(TestDecision.egress("real2").url("https://files.pythonhosted.org/packages/x.whl"));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("squat").url("https://api.opeanai.com/v1/chat/completions"));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.TYPOSQUAT);
            assertThat(a.getDetail()).contains("openai.com");
        });
    }

    @Test
    void tunnelShapedNamesAlertAndOrdinaryNamesDoNot() {
        start("""
                alerts:
                - name: tunnel
                  condition: tunnel_shaped_name
                  severity: critical
                """);
        pipe(TestDecision.egress("ok").url("https://objects.githubusercontent.com/x"));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("t").url("https://mfzwizltoqqgc3demfzxi2lpnzrw63lf.t.exfil.example/"));
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getKind()).isEqualTo(AlertKind.DNS_TUNNEL));
    }

    @Test
    void manyDistinctSubdomainsInAWindowAlertButTheSameNumberSpreadOverWindowsDoesNot() {
        start("""
                alerts:
                - name: burst
                  condition: distinct_subdomains > 5 in 1 minute
                  severity: critical
                """);
        // Five names in each of two windows: never more than five in one.
        Instant second = T0.plus(WINDOW);
        for (int i = 0; i < 5; i++) {
            pipe(TestDecision.egress("a" + i).at(T0.plusSeconds(i)).url("https://c" + i + ".q.example.net/"));
            pipe(TestDecision.egress("b" + i).at(second.plusSeconds(i)).url("https://d" + i + ".q.example.net/"));
        }
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("b5").at(second.plusSeconds(9)).url("https://d5.q.example.net/"));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getCount()).isEqualTo(6);
            assertThat(a.getWindowStart()).isEqualTo(second);
        });
    }

    @Test
    void unusualVolumeAgainstTheAgentsBaselineAlertsAndSteadyVolumeDoesNot() {
        start("""
                alerts:
                - name: volume
                  condition: bytes_out > 4 sigma in 5 minutes
                  min_history: 6
                  min_bytes: 1000
                  severity: high
                """);
        for (int w = 0; w < 10; w++) {
            pipe(TestDecision.egress("w" + w).at(T0.plus(Duration.ofMinutes(5L * w))).bytesOut(100_000 + w * 1000));
        }
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("exfil").at(T0.plus(Duration.ofMinutes(50))).bytesOut(5_000_000));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getKind()).isEqualTo(AlertKind.UNUSUAL_VOLUME);
            assertThat(a.getWindowStart()).isEqualTo(T0.plus(Duration.ofMinutes(50)));
        });
    }

    @Test
    void firstContactPerAgentAndForTheFleet() {
        start("""
                alerts:
                - name: new-for-agent
                  condition: first_contact
                  severity: low
                - name: new-for-fleet
                  condition: fleet_first_contact
                  severity: medium
                """);
        pipe(TestDecision.egress("1").url("https://pypi.org/simple/"));
        pipe(TestDecision.egress("2").at(T0.plusSeconds(1)).url("https://pypi.org/simple/requests/"));
        pipe(TestDecision.egress("3").agent("agent-2").job("job-2").at(T0.plusSeconds(2)).url("https://pypi.org/"));
        assertThat(alerts.readValuesToList()).extracting(Alert::getRuleName, Alert::getAgentId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("new-for-agent", "agent-1"),
                        org.assertj.core.groups.Tuple.tuple("new-for-fleet", "agent-1"),
                        org.assertj.core.groups.Tuple.tuple("new-for-agent", "agent-2"));
    }

    // ---- who, and bypasses

    @Test
    void anAgentTheJobsTokenDoesNotBindIsUnexpectedAndTheBoundAgentIsNot() {
        start("""
                alerts:
                - name: who
                  condition: unexpected_agent
                  severity: critical
                """);
        CstRecord token = (CstRecord) SampleRecords.of(ClawTopic.CST_BINDINGS);
        bindings.pipeInput("job-1", CstRecord.newBuilder(token).setJobId("job-1").setAgentId("agent-1").build());
        pipe(TestDecision.egress("ok"));
        assertThat(alerts.isEmpty()).isTrue();
        // The enforcer reports the expiry first; the alerter still sees the agent is not the token's.
        pipe(TestDecision.egress("stolen").agent("agent-6").denied(ReasonCode.CST_EXPIRED));
        assertThat(alerts.readKeyValuesToList()).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("agent-6");
            assertThat(kv.value.getKind()).isEqualTo(AlertKind.UNEXPECTED_AGENT);
            assertThat(kv.value.getJobId()).isEqualTo("job-1");
        });
        // Unbinding the job (a tombstone) and traffic without a token: no token binds the agent.
        bindings.pipeInput("job-1", (CstRecord) null);
        pipe(TestDecision.egress("none").at(T0.plusSeconds(5)).denied(ReasonCode.NO_CST));
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getDetail()).contains("no token binds agent agent-1"));
    }

    @Test
    void aSidecarAllowingWhatPolicyDeniesIsABypassAndAgreementIsNot() {
        start("""
                alerts:
                - name: bypass
                  condition: sidecar_allowed_policy_denied
                  severity: critical
                """);
        pipe(TestDecision.egress("agree").sidecar(Verdict.ALLOW));
        pipe(TestDecision.egress("stricter").url("https://x.example/").denied(ReasonCode.DEFAULT_DENY).sidecar(Verdict.DENY));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("let-through").url("https://x.example/").denied(ReasonCode.DEFAULT_DENY)
                .sidecar(Verdict.ALLOW));
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getKind()).isEqualTo(AlertKind.POLICY_BYPASS));
    }

    @Test
    void aReceiptUnderAnotherScopeIsABypassAndAMatchingOneIsNot() {
        start("""
                alerts:
                - name: scope
                  condition: receipt_scope_mismatch
                  severity: critical
                """);
        pipe(TestDecision.receipt("r-ok"));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.receipt("r-bad").receiptScope("sha256:" + "ee".repeat(32))
                .denied(ReasonCode.RECEIPT_SCOPE_MISMATCH));
        assertThat(alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.getEvidence().get(0).getEventId()).isEqualTo("r-bad"));
    }

    @Test
    void aProviderCallWithoutAReceiptIsReportedOnceItsWindowAndGraceHavePassed() {
        start("""
                alerts:
                - name: shadow
                  condition: provider_call_without_receipt in 1 minute
                  severity: critical
                """);
        pipe(TestDecision.egress("direct").url("https://api.openai.com/v1/chat/completions"));
        // A call with its receipt 50 s later, in another job: explained.
        pipe(TestDecision.egress("via-gw").job("job-2").url("https://api.openai.com/v1/chat/completions"));
        pipe(TestDecision.receipt("r-2").job("job-2").at(T0.plusSeconds(50)));
        Instant due = T0.plus(WINDOW).plus(GRACE);
        // Stream time reaches due - 1 ms: still waiting for a receipt.
        pipe(TestDecision.egress("tick-1").job("job-9").at(due.minusMillis(1)).url("https://pypi.org/"));
        assertThat(alerts.isEmpty()).isTrue();
        pipe(TestDecision.egress("tick-2").job("job-9").at(due.plus(DetectionProcessor.TICK)).url("https://pypi.org/"));
        assertThat(alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.getJobId()).isEqualTo("job-1");
            assertThat(a.getEvidence()).extracting(Evidence::getEventId).containsExactly("direct");
        });
    }

    // ---- the whole stage

    @Test
    void anUnreadableDecisionGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        start("""
                alerts:
                - name: tld
                  condition: domain matches *.tk
                  severity: high
                """);
        driver.createInputTopic(TOPICS.decisions(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("job-1", "{\"verdict\":\"DENY\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        pipe(TestDecision.egress("after").url("https://free.tk/"));
        TestOutputTopic<String, DeadLetter> deadLetters = driver.createOutputTopic("t.deadletter",
                Serdes.String().deserializer(), AvroSerdes.specific(DeadLetter.class, registry, true).deserializer());
        assertThat(deadLetters.readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getSourceTopic()).isEqualTo(TOPICS.decisions());
            assertThat(letter.getStage()).isEqualTo("alerter");
        });
        assertThat(alerts.readValuesToList()).extracting(a -> a.getEvidence().get(0).getEventId()).containsExactly("after");
    }

    @Test
    void theDefaultRulesBuildATopologyWhoseProcessorsAndStoresAreNamed() {
        String description = start(RulesParser.defaults()).describe().toString();
        assertThat(description).contains("decisions", "detect-by-job", "detect-by-agent", "detect-by-fleet",
                "detect-by-domain", "decisions-by-agent", "denied-fleet-wide", "decisions-by-domain", "bind-job-agents",
                "job-agents", "open-alerts-by-agent", "blocked_request_spike.buckets", "new_destination.contacts",
                "shadow_model_client.jobs", "unusual_egress_volume.baselines", "dns_tunnel_burst.names", "alerts");
        assertThat(description).doesNotContain("KSTREAM-");
    }

    @Test
    void noRulesNoFunnels() {
        String description = start("""
                alerts:
                - name: tld
                  condition: domain matches *.tk
                  severity: high
                """).describe().toString();
        assertThat(description).contains("decisions-by-agent").doesNotContain("denied-fleet-wide", "decisions-by-domain",
                "cst-bindings");
    }
}
