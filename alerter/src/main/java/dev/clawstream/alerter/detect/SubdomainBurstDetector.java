package dev.clawstream.alerter.detect;

import com.google.common.hash.Hashing;
import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Many distinct subdomains of one registrable domain from one agent in a window: a tunnel's queries
 * each carry a new chunk, so each is a new name, even when every chunk is short enough to look tame.
 * Windows are tumbling; each holds the 64-bit hashes of the names seen, capped so a flood cannot grow
 * the store without bound.
 */
public final class SubdomainBurstDetector implements Detector {

    private final Rule rule;
    private final Condition.SubdomainBurst condition;
    private final WindowedState<TreeSet<Long>> seen;
    private final long windowMs;
    private final long graceMs;
    private final int cap;
    private final Set<String> trusted;

    public SubdomainBurstDetector(Rule rule, WindowedState<TreeSet<Long>> seen, Duration grace) {
        this.rule = rule;
        this.condition = (Condition.SubdomainBurst) rule.condition();
        this.seen = seen;
        this.windowMs = condition.window().toMillis();
        this.graceMs = grace.toMillis();
        this.trusted = Set.copyOf(condition.trustedParents());
        this.cap = (int) Math.max(condition.threshold() + 1, Math.min(10_000, condition.threshold() * 4 + 1));
    }

    public static Duration retention(Condition.SubdomainBurst condition, Duration grace) {
        return condition.window().multipliedBy(2).plus(grace);
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty() || o.domain().get().subdomain().isEmpty()
                || trusted.contains(o.domain().get().registryDomain())) {
            return List.of();
        }
        long t = o.epochMillis();
        long start = Math.floorDiv(t, windowMs) * windowMs;
        if (start + windowMs + graceMs <= streamTime) {
            return List.of();
        }
        DomainName domain = o.domain().get();
        String key = o.agentId() + "|" + domain.registrable();
        TreeSet<Long> names = seen.get(key, start).orElseGet(TreeSet::new);
        long hash = Hashing.murmur3_128().hashString(domain.subdomain(), StandardCharsets.UTF_8).asLong();
        if (names.size() >= cap) {
            // Full: every further name is counted as new, without growing the store.
            return List.of(finding(o, domain, start, names.size()));
        }
        if (!names.add(hash)) {
            // A name seen before in this window carries no new chunk.
            return List.of();
        }
        seen.put(key, start, names);
        if (names.size() <= condition.threshold()) {
            return List.of();
        }
        return List.of(finding(o, domain, start, names.size()));
    }

    private Finding finding(Observation o, DomainName domain, long start, int distinct) {
        return new Finding(rule, rule.severity(o.allowed()), o.agentId(), Optional.of(o.jobId()), domain.registrable(),
                o.time(), Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + windowMs), distinct,
                List.of(Sample.of(o)), o.wpcHash(), (distinct >= cap ? "at least " : "") + distinct
                + " distinct subdomains of " + domain.registrable() + " in " + condition.window().toMinutes()
                + " min (threshold " + condition.threshold() + ")");
    }
}
