package dev.clawstream.alerter.rules;

import dev.clawstream.schemas.Severity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configured alert rule, as in the seeds' sample configuration: a name, a condition, a severity and
 * the labels the SOC's tools route on.
 *
 * @param severity           the severity of an alert on traffic that went through
 * @param severityWhenDenied the severity when every event behind it was denied (the attempt failed)
 * @param dedupeWindow       at most one alert per dedupe key per this window; repeats are counted
 */
public record Rule(String name, Condition condition, Severity severity, Severity severityWhenDenied,
                   List<String> notifyLabels, Duration dedupeWindow) {

    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public Rule {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name '" + name + "' must match " + NAME.pattern());
        }
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(severityWhenDenied, "severityWhenDenied");
        notifyLabels = List.copyOf(notifyLabels);
        Objects.requireNonNull(dedupeWindow, "dedupeWindow");
        if (dedupeWindow.isNegative() || dedupeWindow.isZero()) {
            throw new IllegalArgumentException("dedupe window must be positive");
        }
    }

    /** The severity for an alert whose evidence was allowed through, or entirely denied. */
    public Severity severity(boolean allowed) {
        return allowed ? severity : severityWhenDenied;
    }
}
