package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Rule;
import dev.clawstream.schemas.ReasonCode;

import java.util.List;
import java.util.Optional;

/**
 * Traffic from an agent no token binds to the job it claims, or a job's token in another agent's hands:
 * a rogue process on the host, or a compromised agent that stole a sibling's credentials.
 *
 * <p>The job's bound agent comes from {@code cst.bindings}; it is compared directly rather than read
 * from the decision's reason, because the enforcer reports the first failing check and an expired or
 * revoked token would hide that the agent was not its holder.
 */
public final class UnexpectedAgentDetector implements Detector {

    private final Rule rule;
    private final KeyedState<String> boundAgents;

    /** @param boundAgents job id → the agent id its token binds */
    public UnexpectedAgentDetector(Rule rule, KeyedState<String> boundAgents) {
        this.rule = rule;
        this.boundAgents = boundAgents;
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        Optional<String> bound = boundAgents.get(o.jobId());
        if (bound.isPresent() && !bound.get().equals(o.agentId())) {
            return List.of(Finding.single(rule, o, o.jobId(), "agent " + o.agentId() + " used the token of job "
                    + o.jobId() + ", which binds agent " + bound.get()));
        }
        if (o.reason() == ReasonCode.CST_AGENT_MISMATCH) {
            return List.of(Finding.single(rule, o, o.jobId(), "agent " + o.agentId()
                    + " presented another agent's token for job " + o.jobId()));
        }
        if (bound.isEmpty() && o.reason() == ReasonCode.NO_CST) {
            return List.of(Finding.single(rule, o, o.jobId(), "no token binds agent " + o.agentId() + " to job "
                    + o.jobId()));
        }
        return List.of();
    }
}
