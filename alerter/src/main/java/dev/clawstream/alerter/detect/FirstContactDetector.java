package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.alerter.rules.Scope;

import java.time.Duration;
import java.util.List;

/**
 * The first contact of an agent (or of the whole fleet) with a registrable domain: the seeds' "new
 * blocked domains — new attack vectors", and the sprawl of forgotten endpoints a default-deny rollout
 * has to find. Contacts are remembered for the retention period in a window store whose old segments
 * expire by themselves; a domain still in use is re-remembered every half retention, so it never
 * comes back as "new".
 */
public final class FirstContactDetector implements Detector {

    private final Rule rule;
    private final Condition.FirstContact condition;
    private final WindowedState<Long> contacts;
    private final long retentionMs;

    public FirstContactDetector(Rule rule, WindowedState<Long> contacts) {
        this.rule = rule;
        this.condition = (Condition.FirstContact) rule.condition();
        this.contacts = contacts;
        this.retentionMs = condition.retention().toMillis();
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
        long t = o.epochMillis();
        List<Long> seen = contacts.fetch(key, t - retentionMs, t + retentionMs);
        if (!seen.isEmpty()) {
            long latest = seen.get(seen.size() - 1);
            if (latest < t - retentionMs / 2) {
                contacts.put(key, t, t);
            }
            return List.of();
        }
        contacts.put(key, t, t);
        String who = condition.scope() == Scope.FLEET ? "the fleet (first: agent " + o.agentId() + ")" : "agent " + o.agentId();
        return List.of(Finding.single(rule, o, registrable, "first contact of " + who + " with " + registrable
                + " in " + condition.retention().toDays() + " days"));
    }
}
