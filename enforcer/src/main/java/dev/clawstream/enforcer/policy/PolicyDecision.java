package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.util.Objects;
import java.util.Optional;

/**
 * The decision on one request: the verdict in force, why, which rule, and under which WPC. In MONITOR
 * mode {@link #wouldBeVerdict()} and {@link #wouldBeReason()} say what ENFORCE would have done; only a
 * request no allow rule matched is let through (reason {@code MONITOR_MODE}), so discovery records every
 * destination an agent tries while explicit denials still block.
 *
 * @param wpcHash empty only when no WPC could be found for the job (then the verdict is DENY)
 */
public record PolicyDecision(Verdict verdict, ReasonCode reason, Optional<String> matchedRule, String detail,
                             Optional<Sha256Hash> wpcHash, PolicyMode mode, Optional<Verdict> wouldBeVerdict,
                             Optional<ReasonCode> wouldBeReason) {

    public PolicyDecision {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(matchedRule, "matchedRule");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(wpcHash, "wpcHash");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(wouldBeVerdict, "wouldBeVerdict");
        Objects.requireNonNull(wouldBeReason, "wouldBeReason");
    }

    /** The rules' outcome under {@code mode}. */
    public static PolicyDecision of(Outcome outcome, Sha256Hash wpcHash, PolicyMode mode) {
        if (mode != PolicyMode.MONITOR) {
            return new PolicyDecision(outcome.verdict(), outcome.reason(), outcome.matchedRule(), outcome.detail(),
                    Optional.of(wpcHash), PolicyMode.ENFORCE, Optional.empty(), Optional.empty());
        }
        if (!outcome.allowed() && CompiledPolicy.NO_ALLOW_RULE.contains(outcome.reason())) {
            // Discovery: a destination no rule covers yet is let through and recorded.
            return new PolicyDecision(Verdict.ALLOW, ReasonCode.MONITOR_MODE, outcome.matchedRule(),
                    "monitor mode: " + outcome.detail(), Optional.of(wpcHash), mode, Optional.of(Verdict.DENY),
                    Optional.of(outcome.reason()));
        }
        // An explicit denial (a deny rule, a metadata or special-purpose address, a denied tool or model, an
        // unreadable destination) blocks in monitor mode too: monitoring is for finding what is missing.
        return new PolicyDecision(outcome.verdict(), outcome.reason(), outcome.matchedRule(), outcome.detail(),
                Optional.of(wpcHash), mode, Optional.of(outcome.verdict()), Optional.of(outcome.reason()));
    }

    /**
     * A denial that no mode softens: there is no WPC to take a mode from, or the job's token failed
     * (a bad token is an authentication failure, not a policy question to observe).
     */
    public static PolicyDecision enforcedDenial(Outcome outcome, Optional<Sha256Hash> wpcHash) {
        if (outcome.allowed()) {
            throw new IllegalArgumentException("not a denial: " + outcome);
        }
        return new PolicyDecision(Verdict.DENY, outcome.reason(), outcome.matchedRule(), outcome.detail(),
                wpcHash, PolicyMode.ENFORCE, Optional.empty(), Optional.empty());
    }
}
