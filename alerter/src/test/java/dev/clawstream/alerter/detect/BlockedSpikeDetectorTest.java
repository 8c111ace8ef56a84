package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.schemas.ReasonCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

class BlockedSpikeDetectorTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private static Observation denied(String id, long secondsAfterT0, String agent) {
        return Observation.of(TestDecision.egress(id).agent(agent).at(T0.plusSeconds(secondsAfterT0))
                .url("https://attacker.example/x").denied(ReasonCode.DEFAULT_DENY).build());
    }

    @Test
    void firesOnTheDeniedRequestPastTheThresholdWithinTheWindow() {
        BlockedSpikeDetector d = new BlockedSpikeDetector(TestRules.rule("blocked_requests > 100 in 5 minutes"),
                MemoryState.windowed(), GRACE);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            findings.addAll(d.observe(denied("e-" + i, i, "agent-1"), T0.toEpochMilli() + i * 1000L));
        }
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).count()).isEqualTo(101);
        assertThat(findings.get(0).agentId()).isEqualTo("agent-1");
        assertThat(findings.get(0).samples()).extracting(Sample::eventId).containsExactly("e-100");
    }

    @Test
    void exactlyTheThresholdOrSpreadBeyondTheWindowDoesNotFire() {
        BlockedSpikeDetector d = new BlockedSpikeDetector(TestRules.rule("blocked_requests > 100 in 5 minutes"),
                MemoryState.windowed(), GRACE);
        List<Finding> findings = new ArrayList<>();
        // 100 in the first window, then one every 4 s: never more than 100 within any 5 minutes... until packed.
        for (int i = 0; i < 100; i++) {
            findings.addAll(d.observe(denied("e-" + i, i, "agent-1"), T0.toEpochMilli() + i * 1000L));
        }
        assertThat(findings).isEmpty();
        for (int i = 0; i < 100; i++) {
            long s = 400 + i * 4L;
            findings.addAll(d.observe(denied("f-" + i, s, "agent-1"), T0.toEpochMilli() + s * 1000));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void allowedRequestsAndOtherAgentsDoNotCount() {
        BlockedSpikeDetector d = new BlockedSpikeDetector(TestRules.rule("blocked_requests > 3 in 1 minute"),
                MemoryState.windowed(), GRACE);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            findings.addAll(d.observe(denied("a-" + i, i, "agent-1"), T0.toEpochMilli()));
            findings.addAll(d.observe(denied("b-" + i, i, "agent-2"), T0.toEpochMilli()));
            findings.addAll(d.observe(Observation.of(TestDecision.egress("c-" + i).agent("agent-1")
                    .at(T0.plusSeconds(i)).build()), T0.toEpochMilli()));
        }
        assertThat(findings).isEmpty();
    }

    @Test
    void fleetScopeAddsUpEveryAgent() {
        BlockedSpikeDetector d = new BlockedSpikeDetector(TestRules.rule("fleet_blocked_requests > 3 in 1 minute"),
                MemoryState.windowed(), GRACE);
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            findings.addAll(d.observe(denied("e-" + i, i, "agent-" + i), T0.toEpochMilli()));
        }
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.agentId()).isEqualTo(Finding.FLEET);
            assertThat(f.count()).isEqualTo(4);
            assertThat(f.jobId()).isEmpty();
        });
    }

    @Test
    void aRecordLaterThanWindowPlusGraceIsIgnored() {
        BlockedSpikeDetector d = new BlockedSpikeDetector(TestRules.rule("blocked_requests > 0 in 1 minute"),
                MemoryState.windowed(), GRACE);
        long streamTime = T0.toEpochMilli() + Duration.ofMinutes(1).plus(GRACE).toMillis();
        assertThat(d.observe(denied("late", 0, "agent-1"), streamTime)).isEmpty();
        assertThat(d.observe(denied("edge", 0, "agent-1"), streamTime - 1)).hasSize(1);
    }
}
