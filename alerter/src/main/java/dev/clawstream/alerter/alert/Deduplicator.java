package dev.clawstream.alerter.alert;

import com.google.common.hash.Hashing;
import dev.clawstream.alerter.detect.Finding;
import dev.clawstream.alerter.detect.KeyedState;
import dev.clawstream.alerter.detect.Sample;
import dev.clawstream.alerter.detect.ScannableState;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.Evidence;
import dev.clawstream.schemas.serde.TrustedAvroClasses;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One alert per dedupe key per dedupe window, so an attack produces one loud alert rather than ten
 * thousand. The first finding is an alert at once (the SOC should not wait for a window to close);
 * repeats within the window are folded into it — counted as suppressed, a few more evidence samples
 * kept — and, when the window closes, the alert is sent once more with the same id and the final
 * tallies, if anything was folded. A repeat that raises the severity (a denied attempt that later got
 * through) is sent at once too. Windows are in event time and close with stream time.
 *
 * <p>Alert ids are derived from the dedupe key and the first finding's event time, so reprocessing the
 * same input (a restore, a replay) yields the same ids.
 */
public final class Deduplicator {

    /** Evidence kept per alert: enough to start an investigation, small enough for any SIEM. */
    public static final int MAX_EVIDENCE = 5;

    private final Map<String, Rule> rules;

    public Deduplicator(RuleSet rules) {
        this.rules = rules.byName();
        // Folding copies alerts with Avro's builders, which look our generated classes up by name.
        TrustedAvroClasses.install();
    }

    /** The alerts to send now for this finding (none, when it is folded into an open alert). */
    public List<Alert> offer(Finding finding, KeyedState<Alert> open) {
        String key = finding.dedupeKey();
        Optional<Alert> existing = open.get(key);
        List<Alert> out = new ArrayList<>(2);
        if (existing.isPresent()) {
            Alert held = existing.get();
            Duration window = finding.rule().dedupeWindow();
            if (Duration.between(held.getTime(), finding.time()).abs().compareTo(window) < 0) {
                Alert folded = fold(held, finding);
                open.put(key, folded);
                if (folded.getSeverity().ordinal() > held.getSeverity().ordinal()) {
                    out.add(folded);
                }
                return out;
            }
            if (held.getSuppressed() > 0) {
                out.add(held);
            }
            open.delete(key);
        }
        Alert alert = alertOf(finding, key);
        open.put(key, alert);
        out.add(alert);
        return out;
    }

    /** Closes every window stream time has passed: the final tallies of those that folded repeats. */
    public List<Alert> closeDue(long streamTime, ScannableState<Alert> open) {
        List<Alert> out = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        open.forEach((key, alert) -> {
            Duration window = Optional.ofNullable(rules.get(alert.getRuleName())).map(Rule::dedupeWindow)
                    .orElse(Duration.ZERO);
            if (alert.getTime().plus(window).toEpochMilli() <= streamTime) {
                closed.add(key);
                if (alert.getSuppressed() > 0) {
                    out.add(alert);
                }
            }
        });
        closed.forEach(open::delete);
        return out;
    }

    static Alert alertOf(Finding f, String dedupeKey) {
        return Alert.newBuilder()
                .setAlertId(alertId(dedupeKey, f.time()))
                .setTime(f.time())
                .setKind(f.rule().condition().kind())
                .setSeverity(f.severity())
                .setRuleName(f.rule().name())
                .setAgentId(f.agentId())
                .setJobId(f.jobId().orElse(null))
                .setWindowStart(f.windowStart())
                .setWindowEnd(f.windowEnd())
                .setCount(f.count())
                .setSuppressed(0)
                .setEvidence(new ArrayList<>(f.samples().stream().limit(MAX_EVIDENCE).map(Deduplicator::evidence).toList()))
                .setWpcHash(f.wpcHash().orElse(null))
                .setDedupeKey(dedupeKey)
                .setNotify(new ArrayList<>(f.rule().notifyLabels()))
                .setDetail(f.detail())
                .build();
    }

    private static Alert fold(Alert held, Finding f) {
        // A counting rule's finding carries its window's running total; others count one event each.
        boolean running = f.rule().condition().countingWindow().isPresent();
        List<Evidence> evidence = new ArrayList<>(held.getEvidence());
        for (Sample s : f.samples()) {
            boolean known = evidence.stream().anyMatch(e -> e.getEventId().equals(s.eventId()));
            if (evidence.size() < MAX_EVIDENCE && !known) {
                evidence.add(evidence(s));
            }
        }
        boolean escalates = f.severity().ordinal() > held.getSeverity().ordinal();
        return Alert.newBuilder(held)
                .setSuppressed(held.getSuppressed() + 1)
                .setCount(running ? Math.max(held.getCount(), f.count()) : held.getCount() + f.count())
                .setWindowStart(min(held.getWindowStart(), f.windowStart()))
                .setWindowEnd(max(held.getWindowEnd(), f.windowEnd()))
                .setEvidence(evidence)
                .setSeverity(escalates ? f.severity() : held.getSeverity())
                .setDetail(escalates || running ? f.detail() : held.getDetail())
                .build();
    }

    private static Evidence evidence(Sample s) {
        return Evidence.newBuilder().setEventId(s.eventId()).setTime(s.time()).setDestination(s.destination()).build();
    }

    static String alertId(String dedupeKey, Instant firstTime) {
        return "a-" + Hashing.sha256().hashString(dedupeKey + "|" + firstTime.toEpochMilli(), StandardCharsets.UTF_8)
                .toString().substring(0, 24);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
