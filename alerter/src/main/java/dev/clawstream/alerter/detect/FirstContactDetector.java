package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.Scope;

import java.time.Duration;
import java.util.List;

/**
 * The first contact of an agent (or of the whole fleet) with a registrable domain: the seeds' "new
 * blocked domains — new attack vectors", and the sprawl of forgotten endpoints a default-deny rollout
 * has to find. Contacts are remembered for the retention period ({@link DomainMemory}).
 */
public final class FirstContactDetector implements Detector {

    private final Rule rule;
    private final Condition.FirstContact condition;
    private final DomainMemory contacts;

    public FirstContactDetector(Rule rule, WindowedState<Long> contacts) {
        this.rule = rule;
        this.condition = (Condition.FirstContact) rule.condition();
        this.contacts = new DomainMemory(contacts, condition.retention().toMillis());
    }

    public static Duration retention(Condition.FirstContact condition) {
        return condition.retention();
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty()) {
            return List.of();
        }
        String registrable = o.domain().get().registrable();
        String key = condition.scope() == Scope.FLEET ? registrable : o.agentId() + "|" + registrable;
        if (!contacts.firstContact(key, o.epochMillis())) {
            return List.of();
        }
        String who = condition.scope() == Scope.FLEET ? "the fleet (first: agent " + o.agentId() + ")" : "agent " + o.agentId();
        return List.of(Finding.single(rule, o, registrable, "first contact of " + who + " with " + registrable
                + " in " + condition.retention().toDays() + " days"));
    }
}
