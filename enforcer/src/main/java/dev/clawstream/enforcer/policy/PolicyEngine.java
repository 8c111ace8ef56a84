package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstFailure;
import dev.clawstream.enforcer.destination.ParsedDestination;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One decision for one request: the job's token first (fail closed, in every mode), then the WPC with
 * the token's attestations. Pure: no Kafka, no clock of its own, no I/O — the enforcer stream and
 * {@code clawstream decide} call the same code.
 */
public final class PolicyEngine {

    private final CstCheck tokens;

    public PolicyEngine(CstCheck tokens) {
        this.tokens = tokens;
    }

    public PolicyDecision decideEgress(CompiledPolicy policy, Optional<Cst> cst, String agentId, Instant now,
                                       ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool) {
        Optional<CstFailure> failure = tokens.check(cst, agentId, now, policy.hash());
        if (failure.isPresent()) {
            return PolicyDecision.enforcedDenial(Outcome.deny(failure.get().reason(), failure.get().detail()),
                    Optional.of(policy.hash()));
        }
        return policy.decideEgress(destination, resolvedIp, tool, attestations(cst));
    }

    public PolicyDecision decideModelCall(CompiledPolicy policy, Optional<Cst> cst, String agentId, Instant now,
                                          String provider, String modelId) {
        Optional<CstFailure> failure = tokens.check(cst, agentId, now, policy.hash());
        if (failure.isPresent()) {
            return PolicyDecision.enforcedDenial(Outcome.deny(failure.get().reason(), failure.get().detail()),
                    Optional.of(policy.hash()));
        }
        return policy.decideModelCall(provider, modelId);
    }

    /** The attestations a token vouches for; none without a token. */
    public static Set<String> attestations(Optional<Cst> cst) {
        return cst.isEmpty() || cst.get().attestations().isEmpty() ? Set.of() : Set.copyOf(cst.get().attestations());
    }
}
