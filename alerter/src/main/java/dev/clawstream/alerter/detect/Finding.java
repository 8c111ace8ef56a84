package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.schemas.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a detector saw, before deduplication turns it into an alert.
 *
 * @param agentId  the agent, or {@link #FLEET} for a fleet-wide finding
 * @param subject  what the finding is about within the agent (a domain, a job), part of the dedupe key
 * @param time     the event time of the observation that completed the finding
 * @param count    events behind the finding: a window's running total for counting rules, else 1
 */
public record Finding(Rule rule, Severity severity, String agentId, Optional<String> jobId, String subject,
                      Instant time, Instant windowStart, Instant windowEnd, long count, List<Sample> samples,
                      Optional<String> wpcHash, String detail) {

    /** The agent id of fleet-wide findings: no single agent is to blame. */
    public static final String FLEET = "*";

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        samples = List.copyOf(samples);
        Objects.requireNonNull(wpcHash, "wpcHash");
        Objects.requireNonNull(detail, "detail");
    }

    /** A finding about one observation: its own time is its window. */
    static Finding single(Rule rule, Observation o, String subject, String detail) {
        return new Finding(rule, rule.severity(o.allowed()), o.agentId(), Optional.of(o.jobId()), subject, o.time(),
                o.time(), o.time(), 1, List.of(Sample.of(o)), o.wpcHash(), detail);
    }

    /** One alert per this key per dedupe window: the detector, the rule, who and what. */
    public String dedupeKey() {
        return rule.condition().kind() + "|" + rule.name() + "|" + agentId + "|" + subject;
    }
}
