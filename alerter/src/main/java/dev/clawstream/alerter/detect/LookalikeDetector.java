package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Rule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A destination whose registrable domain is a near miss of a protected one ({@link Lookalikes}): the
 * agent was steered to a typosquat — by a poisoned package, a prompt-injected URL, or its own typo.
 * Verdicts per registrable domain are cached: real traffic hits a few hundred domains millions of times.
 */
public final class LookalikeDetector implements Detector {

    static final int CACHE_SIZE = 10_000;

    private final Rule rule;
    private final Lookalikes lookalikes;
    private final Map<String, Optional<Lookalikes.Match>> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<Lookalikes.Match>> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public LookalikeDetector(Rule rule, Lookalikes lookalikes) {
        this.rule = rule;
        this.lookalikes = lookalikes;
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty()) {
            return List.of();
        }
        DomainName domain = o.domain().get();
        Optional<Lookalikes.Match> match = cache.computeIfAbsent(domain.registryDomain(),
                r -> lookalikes.matchRegistrable(domain));
        if (match.isEmpty()) {
            match = lookalikes.embedded(domain);
        }
        return match.map(m -> List.of(Finding.single(rule, o, domain.registryDomain(), domain.registryDomain()
                + " resembles " + m.protectedDomain() + " (" + m.technique() + ")"))).orElse(List.of());
    }
}
