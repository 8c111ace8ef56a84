package dev.clawstream.enforcer.policy;

import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.util.Objects;
import java.util.Optional;

/**
 * What the rules say about one request, before the WPC's mode is applied: the verdict, the reason a
 * person can act on, the rule that decided (a JSON pointer into the WPC, empty for default deny and
 * unreadable input), and a sentence of detail.
 */
public record Outcome(Verdict verdict, ReasonCode reason, Optional<String> matchedRule, String detail) {

    public Outcome {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(matchedRule, "matchedRule");
        Objects.requireNonNull(detail, "detail");
    }

    public static Outcome allow(ReasonCode reason, String rule, String detail) {
        return new Outcome(Verdict.ALLOW, reason, Optional.of(rule), detail);
    }

    public static Outcome deny(ReasonCode reason, String rule, String detail) {
        return new Outcome(Verdict.DENY, reason, Optional.of(rule), detail);
    }

    /** A denial no rule made: default deny, unreadable input, a missing token. */
    public static Outcome deny(ReasonCode reason, String detail) {
        return new Outcome(Verdict.DENY, reason, Optional.empty(), detail);
    }

    /**
     * This outcome as one layer of several made it: its rule is named {@code <layer hash>#<pointer>}, a
     * JSON pointer into that layer's document (RFC 6901, section 6: a pointer as a URI fragment).
     */
    Outcome inLayer(dev.clawstream.enforcer.canonical.Sha256Hash layer) {
        return matchedRule.isEmpty() ? this
                : new Outcome(verdict, reason, Optional.of(layer + "#" + matchedRule.get()), detail);
    }

    public boolean allowed() {
        return verdict == Verdict.ALLOW;
    }
}
