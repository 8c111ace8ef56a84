package dev.clawstream.bundler;

import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstFailure;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Re-decides the token part of recorded decisions, in chain order: which token a job's decisions were
 * made under is in the chain itself, as the enforcer attaches the token (as issued, signature included)
 * to the job's first decision under each version of it (docs/proof-bundle.md, "Re-deciding").
 * The token's signature is checked against the trusted issuer keys, then expiry at the event's time,
 * revocation, the agent and the WPC pin, exactly as the enforcer's {@link CstCheck}: a decision must give
 * the reason that check gives, and a decision the check lets through must give no token reason.
 *
 * <p>Mutable: it follows one job's chain across its segments. A decision made under a token given in
 * an earlier segment that is not at hand cannot be re-decided; it is counted, never passed silently.
 */
final class TokenReplay {

    private static final Set<ReasonCode> TOKEN_REASONS = EnumSet.of(ReasonCode.CST_EXPIRED, ReasonCode.CST_REVOKED,
            ReasonCode.CST_SIGNATURE_INVALID, ReasonCode.CST_AGENT_MISMATCH, ReasonCode.WPC_PIN_MISMATCH);
    /** Reasons the enforcer gives before it looks at the token, or without asking it (no WPC to check a pin against). */
    private static final Set<ReasonCode> DECIDED_BEFORE_THE_TOKEN = EnumSet.of(ReasonCode.RECEIPT_SIGNATURE_INVALID,
            ReasonCode.RECEIPT_KEY_UNKNOWN, ReasonCode.JOB_CLOSED, ReasonCode.WPC_UNKNOWN,
            ReasonCode.RECEIPT_SCOPE_MISMATCH);

    private final CstCheck tokens;
    private Optional<Cst> inForce = Optional.empty();
    private long redecided;
    private long notRedecided;

    TokenReplay(TrustedKeys issuers) {
        this.tokens = new CstCheck(Objects.requireNonNull(issuers, "issuers"));
    }

    /** Decisions whose token outcome was re-decided. */
    long redecided() {
        return redecided;
    }

    /** Decisions made under a token given in a segment not at hand. */
    long notRedecided() {
        return notRedecided;
    }

    void check(long index, Decision d) throws VerificationException {
        if (d.getCst() != null) {
            try {
                inForce = Optional.of(CstRecords.fromRecord(d.getCst()));
            } catch (IllegalArgumentException e) {
                // The enforcer attaches only tokens it could read; an unreadable one was not what it decided under.
                throw VerificationException.at(Check.DECISION, index, "decision " + d.getDecisionId()
                        + " carries a token that cannot be read: " + e.getMessage());
            }
        }
        ReasonCode reason = d.getReason();
        if (d.getTokenId() == null) {
            if (!DECIDED_BEFORE_THE_TOKEN.contains(reason)) {
                compare(index, d, "reason of a decision made under no token", ReasonCode.NO_CST, reason);
            }
            redecided++;
            return;
        }
        if (reason == ReasonCode.NO_CST) {
            throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId()
                    + " says the job had no token but names one", "no token_id", d.getTokenId());
        }
        if (inForce.isEmpty()) {
            notRedecided++;
            return;
        }
        Cst token = inForce.get();
        compare(index, d, "token_id against the token in force", token.tokenId(), d.getTokenId());
        compare(index, d, "cst_scope_hash against the token in force", token.scopeHash().toString(),
                d.getCstScopeHash());
        if (DECIDED_BEFORE_THE_TOKEN.contains(reason)) {
            redecided++;
            return;
        }
        Sha256Hash wpc;
        try {
            wpc = Sha256Hash.parse(String.valueOf(d.getWpcHash()));
        } catch (IllegalArgumentException e) {
            throw VerificationException.at(Check.DECISION, index, "decision " + d.getDecisionId() + " gives reason "
                    + reason + " but names no WPC the token's pin could be checked against");
        }
        Optional<CstFailure> expected = tokens.check(inForce, agent(d), time(d), wpc);
        if (expected.isPresent()) {
            compare(index, d, "reason (the token check says: " + expected.get().detail() + ")",
                    expected.get().reason(), reason);
        } else if (TOKEN_REASONS.contains(reason)) {
            throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId()
                    + " reason (token " + token.tokenId() + " is valid for it)", "a policy reason", reason);
        }
        redecided++;
    }

    /** The agent and time the enforcer checked the token with: the input's own. */
    private static String agent(Decision d) {
        return d.getInput() instanceof EgressEvent e ? e.getAgentId() : ((GatewayReceipt) d.getInput()).getAgentId();
    }

    private static Instant time(Decision d) {
        return d.getInput() instanceof EgressEvent e ? e.getTime() : ((GatewayReceipt) d.getInput()).getTime();
    }

    private static void compare(long index, Decision d, String field, Object expected, Object actual)
            throws VerificationException {
        if (!Objects.equals(expected, actual)) {
            throw VerificationException.mismatchAt(Check.DECISION, index, "decision " + d.getDecisionId() + " "
                    + field, expected, actual);
        }
    }
}
