package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.Scope;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Denied requests per agent, or across the fleet, over a sliding window: more than the threshold is an
 * agent (or many) hammering at the policy — a prompt-injected agent trying exfiltration routes one by one.
 *
 * <p>The window slides in {@link #BUCKETS} steps: counts are kept per bucket of window/60, so memory
 * per key is bounded whatever the rate, and the window is exact to one bucket (5 s of 5 minutes).
 */
public final class BlockedSpikeDetector implements Detector {

    static final int BUCKETS = 60;

    private final Rule rule;
    private final Condition.BlockedSpike condition;
    private final WindowedState<Long> counts;
    private final long windowMs;
    private final long bucketMs;
    private final long graceMs;

    public BlockedSpikeDetector(Rule rule, WindowedState<Long> counts, Duration grace) {
        this.rule = rule;
        this.condition = (Condition.BlockedSpike) rule.condition();
        this.counts = counts;
        this.windowMs = condition.window().toMillis();
        this.bucketMs = Math.max(1, windowMs / BUCKETS);
        this.graceMs = grace.toMillis();
    }

    /** How long the bucket store must keep a bucket. */
    public static Duration retention(Condition.BlockedSpike condition, Duration grace) {
        return condition.window().plus(grace).plusMillis(Math.max(1, condition.window().toMillis() / BUCKETS));
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        long t = o.epochMillis();
        if (!o.policyDenied() || t + windowMs + graceMs <= streamTime) {
            return List.of();
        }
        String key = condition.scope() == Scope.FLEET ? Finding.FLEET : o.agentId();
        long bucket = Math.floorDiv(t, bucketMs) * bucketMs;
        counts.put(key, bucket, counts.get(key, bucket).orElse(0L) + 1);
        long from = bucket - windowMs + bucketMs;
        long total = counts.fetch(key, from, bucket).stream().mapToLong(Long::longValue).sum();
        if (total <= condition.threshold()) {
            return List.of();
        }
        String who = condition.scope() == Scope.FLEET ? "the fleet" : "agent " + o.agentId();
        return List.of(new Finding(rule, rule.severity(), key,
                condition.scope() == Scope.FLEET ? Optional.empty() : Optional.of(o.jobId()), "", o.time(),
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(bucket + bucketMs), total, List.of(Sample.of(o)),
                o.wpcHash(), total + " denied requests from " + who + " in " + condition.window().toMinutes()
                        + " min (threshold " + condition.threshold() + ")"));
    }
}
