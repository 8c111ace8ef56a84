package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Rule;

import java.util.List;

/**
 * A sidecar that let through what policy denies: a stale or tampered sidecar config, or an agent that
 * found a path the sidecar does not police. The enforcer flags the disagreement; this keeps the
 * dangerous direction only (a sidecar stricter than policy is an outage, not a bypass).
 */
public final class SidecarBypassDetector implements Detector {

    private final Rule rule;

    public SidecarBypassDetector(Rule rule) {
        this.rule = rule;
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (!o.sidecarAllowedPolicyDenied()) {
            return List.of();
        }
        return List.of(Finding.single(rule, o, o.jobId() + "|sidecar", "sidecar allowed " + o.destination()
                + ", which policy denies (" + o.reason() + ")"));
    }
}
