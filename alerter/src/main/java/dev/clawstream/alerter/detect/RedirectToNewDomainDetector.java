package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;

import java.time.Duration;
import java.util.List;

/**
 * A redirect from a host the job's policy allows to a registrable domain the fleet has never contacted:
 * the gray zone of a pinned package source that starts sending agents to a new CDN, or an allowed
 * service abused as an open redirect. The enforcer decides the target on its own (a trusted source lends
 * it nothing); this makes the hop visible even when the target is allowed, or monitor mode lets it through.
 *
 * <p>Runs on decisions partitioned by the target's registrable domain, and remembers every domain the
 * fleet contacts (redirected or not) for the retention period, as the fleet's first-contact rule does,
 * in its own store: sharing one would make the answer depend on which detector ran first.
 */
public final class RedirectToNewDomainDetector implements Detector {

    private final Rule rule;
    private final DomainMemory fleetContacts;

    public RedirectToNewDomainDetector(Rule rule, WindowedState<Long> contacts) {
        this.rule = rule;
        this.fleetContacts = new DomainMemory(contacts,
                ((Condition.RedirectToNewDomain) rule.condition()).retention().toMillis());
    }

    public static Duration retention(Condition.RedirectToNewDomain condition) {
        return condition.retention();
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty()) {
            return List.of();
        }
        String target = o.domain().get().registrable();
        boolean neverSeen = fleetContacts.firstContact(target, o.epochMillis());
        if (!neverSeen || o.redirectSource().isEmpty() || !o.redirectSourceAllowed()) {
            return List.of();
        }
        DomainName source = o.redirectSource().get();
        if (source.registrable().equals(target)) {
            return List.of();
        }
        return List.of(Finding.single(rule, o, target, "redirect from " + source.host() + ", which policy allows, to "
                + target + ", which the fleet has not contacted before (" + o.destination() + ", "
                + (o.allowed() ? "allowed" : "denied") + " on its own)"));
    }
}
