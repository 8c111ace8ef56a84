package dev.clawstream.alerter.stream;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Redirects and monitor mode through the alerter topology: what the policy-lifecycle issue asks the SOC to see. */
class RedirectAlertTopologyTest {

    private static final AlerterTopics TOPICS = AlerterTopics.withPrefix("t.");
    private static final String PROXY = "https://proxy.golang.org/golang.org/x/net/@v/v0.1.0.zip";

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Decision> decisions;
    private TestOutputTopic<String, Alert> alerts;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        AlerterTopology.buildInto(builder, TOPICS, registry, TestRules.parse("""
                grace: 30 seconds
                alerts:
                - name: redirect_new
                  condition: redirect_to_new_domain
                  severity: high
                  severity_when_denied: medium
                  notify: [egress-review]
                - name: spike
                  condition: blocked_requests > 2 in 1 minute
                  severity: high
                - name: bypass
                  condition: sidecar_allowed_policy_denied
                  severity: critical
                """));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerter-redirect-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(builder.build(), props);
        decisions = driver.createInputTopic(TOPICS.decisions(), Serdes.String().serializer(),
                AvroSerdes.specific(Decision.class, registry, true).serializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), Serdes.String().deserializer(),
                AvroSerdes.specific(Alert.class, registry, true).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipe(TestDecision d) {
        Decision decision = d.build();
        decisions.pipeInput(decision.getJobId(), decision, decision.getTime());
    }

    @Test
    void aRedirectFromAnAllowedHostToANeverSeenDomainRaisesOneAlert() {
        pipe(TestDecision.egress("e-1").at(T0).url("https://proxy.golang.org/golang.org/x/net/@v/list"));
        pipe(TestDecision.egress("e-2").at(T0.plusSeconds(1)).url("https://cdn.new-mirror.net/x.zip")
                .denied(ReasonCode.DEFAULT_DENY).redirectedFrom(PROXY, Verdict.ALLOW));

        List<KeyValue<String, Alert>> out = alerts.readKeyValuesToList();
        assertThat(out).singleElement().satisfies(kv -> {
            assertThat(kv.key).isEqualTo("agent-1");
            assertThat(kv.value.getKind()).isEqualTo(AlertKind.REDIRECT_TO_NEW_DOMAIN);
            assertThat(kv.value.getRuleName()).isEqualTo("redirect_new");
            // The target was denied on its own, so the attempt failed: the lower severity.
            assertThat(kv.value.getSeverity()).isEqualTo(Severity.MEDIUM);
            assertThat(kv.value.getEvidence()).singleElement()
                    .satisfies(e -> assertThat(e.getEventId()).isEqualTo("e-2"));
        });
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void noAlertWhenTheSourceIsNotAllowedOrTheTargetIsKnown() {
        pipe(TestDecision.egress("e-1").at(T0).url("https://cdn.known-mirror.net/a.zip"));
        pipe(TestDecision.egress("e-2").at(T0.plusSeconds(1)).url("https://cdn.known-mirror.net/b.zip")
                .redirectedFrom(PROXY, Verdict.ALLOW));
        pipe(TestDecision.egress("e-3").at(T0.plusSeconds(2)).url("https://cdn.other-mirror.net/c.zip")
                .redirectedFrom("https://paste.example.net/r", Verdict.DENY));
        pipe(TestDecision.egress("e-4").at(T0.plusSeconds(3)).url("https://cdn.third-mirror.net/c.zip"));

        assertThat(alerts.readValuesToList()).isEmpty();
    }

    @Test
    void monitorModeAllowsCountAsDenialsForTheSpikeAndTheBypassDetectors() {
        for (int i = 0; i < 3; i++) {
            pipe(TestDecision.egress("e-" + i).at(T0.plusSeconds(i)).url("https://api.openai.com/v1")
                    .monitoredDenial(ReasonCode.DEFAULT_DENY).sidecar(Verdict.ALLOW));
        }

        List<Alert> out = alerts.readValuesToList();
        assertThat(out).extracting(Alert::getKind).contains(AlertKind.BLOCKED_SPIKE, AlertKind.POLICY_BYPASS);
        assertThat(out).filteredOn(a -> a.getKind() == AlertKind.POLICY_BYPASS).first()
                .satisfies(a -> assertThat(a.getDetail()).contains("DEFAULT_DENY"));
    }
}
