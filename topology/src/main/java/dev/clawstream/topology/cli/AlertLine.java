package dev.clawstream.topology.cli;

import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.Evidence;

import java.util.stream.Collectors;

/**
 * One alert as one line a SOC analyst can scan: when, how bad, what, who, how many, a sample of where,
 * and the routing labels. Fields that are absent are left out rather than printed as "null".
 */
final class AlertLine {

    private static final int DESTINATIONS_SHOWN = 3;

    private AlertLine() {
    }

    static String format(Alert alert) {
        StringBuilder line = new StringBuilder()
                .append(alert.getTime()).append(' ')
                .append(String.format("%-8s", alert.getSeverity())).append(' ')
                .append(alert.getKind()).append(' ')
                .append("agent=").append(alert.getAgentId());
        if (alert.getJobId() != null) {
            line.append(" job=").append(alert.getJobId());
        }
        line.append(" count=").append(alert.getCount());
        if (alert.getSuppressed() > 0) {
            line.append(" (+").append(alert.getSuppressed()).append(" suppressed)");
        }
        String destinations = alert.getEvidence().stream().map(Evidence::getDestination)
                .filter(d -> d != null).distinct().limit(DESTINATIONS_SHOWN).collect(Collectors.joining(","));
        if (!destinations.isEmpty()) {
            line.append(" dest=").append(destinations);
        }
        line.append(" rule=").append(alert.getRuleName());
        if (!alert.getNotify().isEmpty()) {
            line.append(" notify=").append(String.join(",", alert.getNotify()));
        }
        if (alert.getDetail() != null) {
            line.append(" — ").append(alert.getDetail());
        }
        return line.toString();
    }
}
