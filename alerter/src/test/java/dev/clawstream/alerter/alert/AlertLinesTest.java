package dev.clawstream.alerter.alert;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.SampleRecords;
import dev.clawstream.schemas.catalog.ClawTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlertLinesTest {

    @Test
    void oneLineWithTheFieldsAnAnalystScansFirst() {
        Alert alert = (Alert) SampleRecords.of(ClawTopic.ALERTS);
        assertThat(AlertLines.readable(alert)).isEqualTo("2026-11-22T10:15:30.123Z CRITICAL POLICY_BYPASS "
                + "agent-triage-1 job-7f3a sidecar-bypass (count 3, 2 suppressed) evidence=e-1 notify=soc-pager id=a-1");
    }

    @Test
    void controlCharactersFromTheEvidenceCannotForgeALine() {
        Alert alert = (Alert) SampleRecords.of(ClawTopic.ALERTS);
        alert.setDetail("request to evil.example\n2026-11-22T10:15:30Z INFO OTHER fake");
        assertThat(AlertLines.readable(alert)).doesNotContain("\n").contains("evil.example?2026");
    }
}
