package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Bytes out per agent per window against the agent's own baseline: an exponentially weighted mean and
 * variance of its past active windows. Past {@code sigmas} standard deviations, once the baseline has
 * enough history, is an exfiltration-shaped burst — fired as soon as the running total crosses, not at
 * the window's end.
 *
 * <p>Choices, each against a known failure: idle windows are not learned (an agent idle all night
 * would otherwise make its first busy morning an anomaly); a window is learned capped at the alert
 * threshold (one exfiltration must not teach the baseline that exfiltration is normal); the standard
 * deviation is floored at a quarter of the mean (a perfectly regular agent has variance ~0, and any
 * jitter would page someone). An event for a window the agent has already moved past is not counted:
 * the baseline keeps one window in progress per agent, so its state stays one small record.
 */
public final class UnusualVolumeDetector implements Detector {

    static final double MIN_RELATIVE_SD = 0.25;

    private final Rule rule;
    private final Condition.UnusualVolume condition;
    private final KeyedState<VolumeBaseline> baselines;
    private final long windowMs;

    public UnusualVolumeDetector(Rule rule, KeyedState<VolumeBaseline> baselines) {
        this.rule = rule;
        this.condition = (Condition.UnusualVolume) rule.condition();
        this.baselines = baselines;
        this.windowMs = condition.window().toMillis();
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.receipt()) {
            return List.of();
        }
        long t = o.epochMillis();
        long start = Math.floorDiv(t, windowMs) * windowMs;
        VolumeBaseline b = baselines.get(o.agentId()).orElseGet(() -> VolumeBaseline.first(start));
        if (start < b.windowStart()) {
            // A straggler from a window already learned; too late to count (and grace has nothing to wait for).
            return List.of();
        }
        if (start > b.windowStart()) {
            b = b.events() == 0 ? new VolumeBaseline(start, 0, 0, b.mean(), b.variance(), b.history())
                    : b.roll(start, condition.alpha(), threshold(b));
        }
        b = b.add(o.bytesOut());
        baselines.put(o.agentId(), b);
        if (b.history() < condition.minHistory() || b.bytes() < condition.minBytes()) {
            return List.of();
        }
        double threshold = threshold(b);
        if (b.bytes() <= threshold) {
            return List.of();
        }
        String detail = String.format("%d bytes out in %d min; baseline %.0f ± %.0f over %d windows (threshold %.0f)",
                b.bytes(), condition.window().toMinutes(), b.mean(), Math.sqrt(b.variance()), b.history(), threshold);
        return List.of(new Finding(rule, rule.severity(o.allowed()), o.agentId(), Optional.of(o.jobId()), "", o.time(),
                Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + windowMs), b.events(), List.of(Sample.of(o)),
                o.wpcHash(), detail));
    }

    /** Where an agent's window stops being normal: the mean plus {@code sigmas} (floored) deviations. */
    double threshold(VolumeBaseline b) {
        if (b.history() < condition.minHistory()) {
            return Double.MAX_VALUE;
        }
        double sd = Math.max(Math.sqrt(b.variance()), MIN_RELATIVE_SD * b.mean());
        return b.mean() + condition.sigmas() * sd;
    }
}
