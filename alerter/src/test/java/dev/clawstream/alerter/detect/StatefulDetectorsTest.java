package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

class StatefulDetectorsTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    // ---- unusual volume

    private static List<Finding> volumeDay(UnusualVolumeDetector d, long[] bytesPerWindow) {
        List<Finding> findings = new ArrayList<>();
        for (int w = 0; w < bytesPerWindow.length; w++) {
            Instant t = T0.plus(Duration.ofMinutes(5L * w)).plusSeconds(10);
            findings.addAll(d.observe(Observation.of(TestDecision.egress("e-" + w).at(t)
                    .bytesOut(bytesPerWindow[w]).build()), t.toEpochMilli()));
        }
        return findings;
    }

    @Test
    void volumeFarAboveTheAgentsOwnBaselineFiresOnceHistoryExists() {
        UnusualVolumeDetector d = new UnusualVolumeDetector(TestRules.rule("bytes_out > 4 sigma in 5 minutes",
                "min_history: 12", "min_bytes: 1000"), MemoryState.keyed());
        long[] windows = new long[20];
        for (int i = 0; i < 19; i++) {
            windows[i] = 2_000_000 + (i % 3) * 100_000;
        }
        windows[19] = 40_000_000;
        List<Finding> findings = volumeDay(d, windows);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.time()).isEqualTo(T0.plus(Duration.ofMinutes(5L * 19)).plusSeconds(10));
            assertThat(f.detail()).contains("40000000 bytes out");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void volumeWithinTheBaselineOrWithoutHistoryDoesNotFire() {
        UnusualVolumeDetector d = new UnusualVolumeDetector(TestRules.rule("bytes_out > 4 sigma in 5 minutes",
                "min_history: 12", "min_bytes: 1000"), MemoryState.keyed());
        long[] windows = new long[30];
        for (int i = 0; i < 30; i++) {
            windows[i] = 2_000_000 + (i % 5) * 300_000;
        }
        windows[3] = 90_000_000; // huge, but before 12 windows of history
        assertThat(volumeDay(d, windows)).isEmpty();
    }

    @Test
    void volumeFiresAsSoonAsTheRunningTotalCrossesNotAtTheWindowsEnd() {
        UnusualVolumeDetector d = new UnusualVolumeDetector(TestRules.rule("bytes_out > 4 sigma in 5 minutes",
                "min_history: 3", "min_bytes: 1000"), MemoryState.keyed());
        long[] windows = {1_000_000, 1_000_000, 1_000_000, 1_000_000};
        assertThat(volumeDay(d, windows)).isEmpty();
        Instant start = T0.plus(Duration.ofMinutes(20));
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant t = start.plusSeconds(i);
            findings.addAll(d.observe(Observation.of(TestDecision.egress("x-" + i).at(t).bytesOut(400_000).build()),
                    t.toEpochMilli()));
        }
        // The baseline is 1 MB with the floor sd of 0.25 MB: 2 MB is crossed at the fifth 400 kB event.
        assertThat(findings).first().satisfies(f -> assertThat(f.samples().get(0).eventId()).isEqualTo("x-5"));
    }

    // ---- first contact

    @Test
    void firstContactPerAgentIsReportedOnceWithinTheRetention() {
        FirstContactDetector d = new FirstContactDetector(TestRules.rule("first_contact", "retention: 2 days"),
                MemoryState.windowed());
        Observation first = Observation.of(TestDecision.egress("e-1").url("https://pypi.org/simple/").build());
        assertThat(d.observe(first, 0)).singleElement().satisfies(f -> assertThat(f.subject()).isEqualTo("pypi.org"));
        assertThat(d.observe(Observation.of(TestDecision.egress("e-2").url("https://files.pypi.org/x")
                .at(T0.plus(Duration.ofDays(1))).build()), 0)).isEmpty();
        assertThat(d.observe(Observation.of(TestDecision.egress("e-3").agent("agent-2")
                .url("https://pypi.org/simple/").build()), 0)).hasSize(1);
    }

    @Test
    void aDomainUnusedForLongerThanTheRetentionIsNewAgainButOneInUseIsNot() {
        FirstContactDetector d = new FirstContactDetector(TestRules.rule("first_contact", "retention: 2 days"),
                MemoryState.windowed());
        d.observe(Observation.of(TestDecision.egress("a").url("https://pypi.org/").build()), 0);
        d.observe(Observation.of(TestDecision.egress("b").url("https://github.com/").build()), 0);
        // github.com keeps being used (refreshed every half retention); pypi.org is not.
        for (int day = 1; day <= 3; day++) {
            assertThat(d.observe(Observation.of(TestDecision.egress("g" + day).url("https://github.com/")
                    .at(T0.plus(Duration.ofDays(day))).build()), 0)).isEmpty();
        }
        assertThat(d.observe(Observation.of(TestDecision.egress("p").url("https://pypi.org/")
                .at(T0.plus(Duration.ofDays(3))).build()), 0)).hasSize(1);
    }

    @Test
    void fleetFirstContactIgnoresWhichAgent() {
        FirstContactDetector d = new FirstContactDetector(TestRules.rule("fleet_first_contact"), MemoryState.windowed());
        assertThat(d.observe(Observation.of(TestDecision.egress("a").url("https://new.example/").build()), 0))
                .singleElement().satisfies(f -> assertThat(f.agentId()).isEqualTo("agent-1"));
        assertThat(d.observe(Observation.of(TestDecision.egress("b").agent("agent-9").url("https://new.example/")
                .build()), 0)).isEmpty();
    }

    // ---- unexpected agent

    @Test
    void anotherAgentOnAJobsTokenOrNoTokenAtAllIsUnexpected() {
        KeyedState<String> bound = MemoryState.keyed();
        bound.put("job-1", "agent-1");
        UnexpectedAgentDetector d = new UnexpectedAgentDetector(TestRules.rule("unexpected_agent"), bound);
        assertThat(d.observe(Observation.of(TestDecision.egress("ok").build()), 0)).isEmpty();
        assertThat(d.observe(Observation.of(TestDecision.egress("stolen").agent("agent-6")
                .denied(ReasonCode.CST_EXPIRED).build()), 0)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("binds agent agent-1"));
        assertThat(d.observe(Observation.of(TestDecision.egress("none").job("job-2").agent("rogue")
                .denied(ReasonCode.NO_CST).build()), 0)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("no token binds agent rogue"));
        // The enforcer's own verdict is enough when the binding has not reached the alerter yet.
        assertThat(d.observe(Observation.of(TestDecision.egress("mm").job("job-3").agent("agent-7")
                .denied(ReasonCode.CST_AGENT_MISMATCH).build()), 0)).hasSize(1);
    }

    // ---- policy bypass

    @Test
    void aSidecarThatAllowedWhatPolicyDeniedIsABypassButAStricterSidecarIsNot() {
        SidecarBypassDetector d = new SidecarBypassDetector(TestRules.rule("sidecar_allowed_policy_denied"));
        assertThat(d.observe(Observation.of(TestDecision.egress("b").url("https://attacker.example/")
                .denied(ReasonCode.DEFAULT_DENY).sidecar(Verdict.ALLOW).build()), 0)).hasSize(1);
        assertThat(d.observe(Observation.of(TestDecision.egress("s").sidecar(Verdict.DENY).build()), 0)).isEmpty();
        assertThat(d.observe(Observation.of(TestDecision.egress("a").sidecar(Verdict.ALLOW).build()), 0)).isEmpty();
    }

    @Test
    void aReceiptUnderAnotherScopeIsABypass() {
        ReceiptScopeDetector d = new ReceiptScopeDetector(TestRules.rule("receipt_scope_mismatch"));
        assertThat(d.observe(Observation.of(TestDecision.receipt("r-1").receiptScope("sha256:" + "ee".repeat(32))
                .denied(ReasonCode.RECEIPT_SCOPE_MISMATCH).build()), 0)).hasSize(1);
        assertThat(d.observe(Observation.of(TestDecision.receipt("r-2").build()), 0)).isEmpty();
    }

    @Test
    void aProviderCallWithNoReceiptIsReportedOnlyAfterTheWindowAndGrace() {
        ShadowClientDetector d = new ShadowClientDetector(TestRules.rule("provider_call_without_receipt in 2 minutes"),
                MemoryState.keyed(), GRACE);
        Observation direct = Observation.of(TestDecision.egress("e-1").url("https://api.openai.com/v1/chat").build());
        long t = direct.epochMillis();
        assertThat(d.observe(direct, t)).isEmpty();
        long closes = t + Duration.ofMinutes(2).plus(GRACE).toMillis();
        assertThat(d.advance(closes - 1)).isEmpty();
        assertThat(d.advance(closes)).singleElement().satisfies(f -> {
            assertThat(f.samples()).extracting(Sample::eventId).containsExactly("e-1");
            assertThat(f.jobId()).contains("job-1");
        });
        assertThat(d.advance(closes + 1)).isEmpty();
    }

    @Test
    void aReceiptBeforeOrAfterTheCallWithinTheWindowExplainsIt() {
        ShadowClientDetector d = new ShadowClientDetector(TestRules.rule("provider_call_without_receipt in 2 minutes"),
                MemoryState.keyed(), GRACE);
        Observation before = Observation.of(TestDecision.receipt("r-0").at(T0.minusSeconds(60)).build());
        Observation call1 = Observation.of(TestDecision.egress("e-1").url("https://api.anthropic.com/v1/messages").build());
        Observation call2 = Observation.of(TestDecision.egress("e-2").job("job-2")
                .url("https://api.anthropic.com/v1/messages").build());
        Observation after = Observation.of(TestDecision.receipt("r-2").job("job-2").at(T0.plusSeconds(119)).build());
        long t = T0.toEpochMilli();
        d.observe(before, t);
        d.observe(call1, t);
        d.observe(call2, t);
        d.observe(after, t);
        assertThat(d.advance(t + Duration.ofHours(1).toMillis())).isEmpty();
        // And a receipt of another job explains nothing.
        d.observe(Observation.of(TestDecision.egress("e-3").job("job-3").url("https://api.openai.com/").build()), t);
        d.observe(Observation.of(TestDecision.receipt("r-3").job("job-4").build()), t);
        assertThat(d.advance(t + Duration.ofHours(1).toMillis())).hasSize(1);
    }

    @Test
    void aShadowCallInAJobThatAlsoUsesTheGatewayIsStillOneCallTooMany() {
        ShadowClientDetector d = new ShadowClientDetector(TestRules.rule("provider_call_without_receipt in 2 minutes"),
                MemoryState.keyed(), GRACE);
        long t = T0.toEpochMilli();
        d.observe(Observation.of(TestDecision.egress("legit").url("https://api.openai.com/v1/chat").build()), t);
        d.observe(Observation.of(TestDecision.egress("shadow").at(T0.plusSeconds(1))
                .url("https://api.openai.com/v1/chat").build()), t);
        d.observe(Observation.of(TestDecision.receipt("r-legit").at(T0.plusSeconds(2)).build()), t);
        assertThat(d.advance(t + Duration.ofHours(1).toMillis())).singleElement()
                .satisfies(f -> assertThat(f.jobId()).contains("job-1"));
    }

    @Test
    void nonProviderHostsAreNotShadowClients() {
        ShadowClientDetector d = new ShadowClientDetector(TestRules.rule("provider_call_without_receipt in 2 minutes"),
                MemoryState.keyed(), GRACE);
        d.observe(Observation.of(TestDecision.egress("e").url("https://pypi.org/").build()), 0);
        d.observe(Observation.of(TestDecision.egress("f").url("https://my.openai.azure.com.example/").build()), 0);
        assertThat(d.advance(Long.MAX_VALUE / 2)).isEmpty();
        d.observe(Observation.of(TestDecision.egress("g").url("https://corp.openai.azure.com/").build()), 0);
        assertThat(d.advance(Long.MAX_VALUE / 2)).hasSize(1);
    }
}
