package dev.clawstream.alerter.alert;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.alerter.detect.Finding;
import dev.clawstream.alerter.detect.MemoryState;
import dev.clawstream.alerter.detect.Observation;
import dev.clawstream.alerter.detect.ScannableState;
import dev.clawstream.alerter.detect.SuspiciousTldDetector;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.Evidence;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

class DeduplicatorTest {

    private static final RuleSet RULES = TestRules.parse("""
            alerts:
            - name: tld
              condition: domain matches *.tk
              severity: critical
              severity_when_denied: high
              dedupe_window: 10 minutes
              notify: [soc, pager]
            """);
    private final SuspiciousTldDetector detector = new SuspiciousTldDetector(RULES.rules().get(0));
    private final Deduplicator dedupe = new Deduplicator(RULES);
    private final ScannableState<Alert> open = MemoryState.keyed();

    private Finding tkFinding(String id, Instant at, boolean allowed) {
        TestDecision d = TestDecision.egress(id).at(at).url("https://c2.evil.tk/" + id);
        if (!allowed) {
            d.denied(ReasonCode.DEFAULT_DENY);
        }
        return detector.observe(Observation.of(d.build()), 0).get(0);
    }

    @Test
    void aThousandRepeatsMakeOneAlertAndOneFinalTally() {
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sent.addAll(dedupe.offer(tkFinding("e-" + i, T0.plusMillis(i * 100L), false), open));
        }
        assertThat(sent).singleElement().satisfies(a -> {
            assertThat(a.getSuppressed()).isZero();
            assertThat(a.getSeverity()).isEqualTo(Severity.HIGH);
            assertThat(a.getNotify()).containsExactly("soc", "pager");
            assertThat(a.getDedupeKey()).isEqualTo("SUSPICIOUS_TLD|tld|agent-1|evil.tk");
        });
        long closes = T0.plus(Duration.ofMinutes(10)).toEpochMilli();
        assertThat(dedupe.closeDue(closes - 1, open)).isEmpty();
        List<Alert> tally = dedupe.closeDue(closes, open);
        assertThat(tally).singleElement().satisfies(a -> {
            assertThat(a.getAlertId()).isEqualTo(sent.get(0).getAlertId());
            assertThat(a.getSuppressed()).isEqualTo(999);
            assertThat(a.getCount()).isEqualTo(1000);
            assertThat(a.getEvidence()).extracting(Evidence::getEventId).containsExactly("e-0", "e-1", "e-2", "e-3", "e-4");
        });
        assertThat(dedupe.closeDue(closes + 1, open)).isEmpty();
    }

    @Test
    void aLoneAlertHasNoTallyAndTheNextWindowStartsANewAlert() {
        Alert first = dedupe.offer(tkFinding("e-1", T0, false), open).get(0);
        assertThat(dedupe.closeDue(T0.plus(Duration.ofMinutes(10)).toEpochMilli(), open)).isEmpty();
        Alert second = dedupe.offer(tkFinding("e-2", T0.plus(Duration.ofMinutes(11)), false), open).get(0);
        assertThat(second.getAlertId()).isNotEqualTo(first.getAlertId());
    }

    @Test
    void aRepeatAfterTheWindowBeforeAnyCloseSendsTheTallyThenANewAlert() {
        dedupe.offer(tkFinding("e-1", T0, false), open);
        dedupe.offer(tkFinding("e-2", T0.plusSeconds(1), false), open);
        List<Alert> sent = dedupe.offer(tkFinding("e-3", T0.plus(Duration.ofMinutes(10)), false), open);
        assertThat(sent).extracting(Alert::getSuppressed).containsExactly(1L, 0L);
    }

    @Test
    void anAttemptThatGetsThroughEscalatesAtOnce() {
        dedupe.offer(tkFinding("e-1", T0, false), open);
        List<Alert> sent = dedupe.offer(tkFinding("e-2", T0.plusSeconds(5), true), open);
        assertThat(sent).singleElement().satisfies(a -> {
            assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(a.getSuppressed()).isEqualTo(1);
        });
    }

    @Test
    void alertIdsAreStableForTheSameInput() {
        Alert a = dedupe.offer(tkFinding("e-1", T0, false), open).get(0);
        Alert b = new Deduplicator(RULES).offer(tkFinding("e-1", T0, false), MemoryState.keyed()).get(0);
        assertThat(b.getAlertId()).isEqualTo(a.getAlertId()).startsWith("a-");
    }
}
