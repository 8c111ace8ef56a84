package dev.clawstream.enforcer.cst;

import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.ReasonCode;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a job's token lets an event through. Fails closed, and the order of the checks decides
 * which reason is reported when several apply:
 * <ol>
 *   <li>no token: NO_CST;</li>
 *   <li>revoked: CST_REVOKED — even when the revocation's signature does not verify, because a forged
 *       revocation can only deny, never allow (the detail says so: it is worth an operator's look);</li>
 *   <li>issuer not trusted, bad signature, or a scope that does not hash to its scope hash:
 *       CST_SIGNATURE_INVALID — nothing else in an unverified token can be believed;</li>
 *   <li>expired, or issued in the future beyond {@link #CLOCK_SKEW}: CST_EXPIRED;</li>
 *   <li>another agent than the token's: CST_AGENT_MISMATCH;</li>
 *   <li>pinned hashes that do not include the WPC in force: WPC_PIN_MISMATCH.</li>
 * </ol>
 */
public final class CstCheck {

    /** Tolerated difference between the issuer's clock and ours for {@code issued_at}. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** Tokens whose verification outcome is remembered; a job's token is checked on every event. */
    private static final int VERIFIED_MEMO_SIZE = 8192;

    private final TrustedKeys issuers;

    /**
     * Signature and scope-hash outcomes by token content (Cst equality covers every field and the
     * signature bytes), so a job's events pay for an Ed25519 verification once rather than per event
     * (~80 µs each, the enforcer's whole budget at 10,000 events/s). A token that differs in any byte is
     * a different key and is verified afresh; time-dependent checks run on every event.
     */
    private final Map<Cst, Optional<String>> verified = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Cst, Optional<String>> eldest) {
            return size() > VERIFIED_MEMO_SIZE;
        }
    };

    public CstCheck(TrustedKeys issuers) {
        this.issuers = Objects.requireNonNull(issuers, "issuers");
    }

    /**
     * Empty when the token lets the event be decided by the WPC; otherwise why not. Never throws for a
     * malformed token: whatever cannot be verified is CST_SIGNATURE_INVALID.
     *
     * @param now        the event's time (re-deciding recorded events gives the same answer)
     * @param wpcInForce the hash of the WPC the event is decided under
     */
    public Optional<CstFailure> check(Optional<Cst> token, String agentId, Instant now, Sha256Hash wpcInForce) {
        if (token.isEmpty()) {
            return fail(ReasonCode.NO_CST, "the job has no token (CST)");
        }
        Cst cst = token.get();
        Optional<String> unverified = verifiedOutcome(cst);
        if (cst.revoked()) {
            return fail(ReasonCode.CST_REVOKED, "token " + cst.tokenId() + " was revoked"
                    + cst.revokedAt().map(t -> " at " + Cst.format(t)).orElse(" (no time given)")
                    + unverified.map(why -> "; the revocation itself does not verify (" + why
                            + "), it counts anyway: a revocation can only deny").orElse(""));
        }
        if (unverified.isPresent()) {
            return fail(ReasonCode.CST_SIGNATURE_INVALID, "token " + cst.tokenId() + ": " + unverified.get());
        }
        if (!now.isBefore(cst.expiresAt())) {
            return fail(ReasonCode.CST_EXPIRED, "token " + cst.tokenId() + " expired at " + Cst.format(cst.expiresAt()));
        }
        if (cst.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
            return fail(ReasonCode.CST_EXPIRED, "token " + cst.tokenId() + " is not valid before "
                    + Cst.format(cst.issuedAt()));
        }
        if (!cst.agentId().equals(agentId)) {
            return fail(ReasonCode.CST_AGENT_MISMATCH, "token " + cst.tokenId() + " is for agent '" + cst.agentId()
                    + "', the event came from '" + agentId + "'");
        }
        if (!cst.pinnedWpcHashes().isEmpty() && !cst.pinnedWpcHashes().contains(wpcInForce)) {
            return fail(ReasonCode.WPC_PIN_MISMATCH, "token " + cst.tokenId() + " pins " + cst.pinnedWpcHashes()
                    + ", the WPC in force is " + wpcInForce);
        }
        return Optional.empty();
    }

    private Optional<String> verifiedOutcome(Cst cst) {
        synchronized (verified) {
            Optional<String> known = verified.get(cst);
            if (known != null) {
                return known;
            }
        }
        Optional<String> outcome = verify(cst);
        synchronized (verified) {
            verified.put(cst, outcome);
        }
        return outcome;
    }

    /** Empty when a trusted issuer signed exactly this token and its scope hashes to its scope hash. */
    private Optional<String> verify(Cst cst) {
        try {
            issuers.verify(cst.issuerKeyId(), cst.signedBytes(), cst.signature());
            if (cst.scope().isPresent() && !Jcs.hash(cst.scope().get()).equals(cst.scopeHash())) {
                return Optional.of("scope does not hash to " + cst.scopeHash());
            }
            return Optional.empty();
        } catch (SignatureInvalidException e) {
            return Optional.of(e.getMessage());
        } catch (IllegalArgumentException e) {
            // A scope that is not one JSON value has no signed bytes; such a token verifies as nothing.
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<CstFailure> fail(ReasonCode reason, String detail) {
        return Optional.of(new CstFailure(reason, detail));
    }
}
