package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;

import java.util.List;
import java.util.Set;
import java.util.Optional;

/**
 * A destination whose subdomain labels look like data rather than names: the shape of DNS tunnelling
 * and of exfiltration in the host name ({@code stolen-data-encoded.attacker.com}, as the seeds warn),
 * which an allowlist that permits DNS or a wildcard parent does not stop.
 */
public final class TunnelNameDetector implements Detector {

    private final Rule rule;
    private final Condition.TunnelName condition;
    private final Set<String> trusted;

    public TunnelNameDetector(Rule rule) {
        this.rule = rule;
        this.condition = (Condition.TunnelName) rule.condition();
        this.trusted = Set.copyOf(condition.trustedParents());
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty()) {
            return List.of();
        }
        DomainName domain = o.domain().get();
        if (trusted.contains(domain.registryDomain())) {
            return List.of();
        }
        for (String label : domain.subdomainLabels()) {
            Optional<String> why = NameShape.encodedLabel(label, condition.maxLabelLength(),
                    condition.minEncodedLength(), condition.minEntropy());
            if (why.isPresent()) {
                return List.of(Finding.single(rule, o, domain.registrable(),
                        why.get() + " under " + domain.registrable()));
            }
        }
        return List.of();
    }
}
