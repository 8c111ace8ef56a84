package dev.clawstream.alerter.alert;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.Evidence;

import java.util.stream.Collectors;

/**
 * One readable line per alert, for {@code clawstream alerts tail} and for logs: when, how bad, what,
 * who, the rule's own words, and the counts — the fields a SOC analyst scans first, in that order.
 */
public final class AlertLines {

    private AlertLines() {
    }

    /**
     * {@code 2026-11-22T10:00:03Z CRITICAL SUSPICIOUS_TLD agent-1 job-1 suspicious_domain_attempt: allowed
     * request to drop.evil.xyz under the suspicious TLD .xyz (count 3, 2 suppressed) evidence=e-1,e-2
     * notify=security,oncall id=a-1f...}
     */
    public static String readable(Alert a) {
        StringBuilder line = new StringBuilder();
        line.append(a.getTime()).append(' ').append(a.getSeverity()).append(' ').append(a.getKind()).append(' ')
                .append(a.getAgentId());
        if (a.getJobId() != null) {
            line.append(' ').append(a.getJobId());
        }
        line.append(' ').append(a.getRuleName());
        if (a.getDetail() != null) {
            line.append(": ").append(oneLine(a.getDetail()));
        }
        line.append(" (count ").append(a.getCount());
        if (a.getSuppressed() > 0) {
            line.append(", ").append(a.getSuppressed()).append(" suppressed");
        }
        line.append(')');
        if (!a.getEvidence().isEmpty()) {
            line.append(" evidence=").append(a.getEvidence().stream().map(Evidence::getEventId)
                    .map(AlertLines::oneLine).collect(Collectors.joining(",")));
        }
        if (!a.getNotify().isEmpty()) {
            line.append(" notify=").append(String.join(",", a.getNotify().stream().map(AlertLines::oneLine).toList()));
        }
        return line.append(" id=").append(a.getAlertId()).toString();
    }

    /** Attacker-chosen text (a host, an event id) must not forge a second line in a terminal or a log. */
    private static String oneLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
