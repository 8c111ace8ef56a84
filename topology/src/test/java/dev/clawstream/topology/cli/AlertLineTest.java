package dev.clawstream.topology.cli;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.Evidence;
import dev.clawstream.schemas.Severity;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertLineTest {

    private static final Instant T = Instant.parse("2026-11-23T10:00:05Z");

    @Test
    void oneLineWithTheFactsAnAnalystScansFor() {
        Alert alert = alert().setJobId("job-7").setSuppressed(12).setNotify(List.of("soc", "pager"))
                .setDetail("attacker.xyz is under .xyz").build();
        assertThat(AlertLine.format(alert)).isEqualTo("2026-11-23T10:00:05Z CRITICAL SUSPICIOUS_TLD agent=agent-3 job=job-7"
                + " count=3 (+12 suppressed) dest=attacker.xyz,cdn.attacker.xyz rule=suspicious-tld notify=soc,pager"
                + " — attacker.xyz is under .xyz");
    }

    @Test
    void absentFieldsAreLeftOutNotPrintedAsNull() {
        String line = AlertLine.format(alert().setEvidence(List.of()).build());
        assertThat(line).doesNotContain("null").doesNotContain("job=").doesNotContain("dest=")
                .doesNotContain("suppressed").doesNotContain("notify=");
    }

    private static Alert.Builder alert() {
        return Alert.newBuilder().setAlertId("a-1").setTime(T).setKind(AlertKind.SUSPICIOUS_TLD)
                .setSeverity(Severity.CRITICAL).setRuleName("suspicious-tld").setAgentId("agent-3").setJobId(null)
                .setWindowStart(T.minusSeconds(300)).setWindowEnd(T).setCount(3).setSuppressed(0)
                .setEvidence(List.of(new Evidence("e-1", T, "attacker.xyz"), new Evidence("e-2", T, "cdn.attacker.xyz"),
                        new Evidence("e-3", T, "attacker.xyz")))
                .setWpcHash(null).setDedupeKey("k").setNotify(List.of()).setDetail(null);
    }
}
