package dev.clawstream.enforcer.cst;

import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;

import java.util.Objects;
import java.util.Optional;

/**
 * Which token a job keeps when a new binding arrives on {@code cst.bindings}. Signatures stop forgery
 * but not replay: anyone who can write the topic can publish a token the issuer really signed earlier,
 * such as the token as it was before its revocation. So a job's binding never goes back:
 * <ul>
 *   <li>a revoked token stays revoked: the same token id arriving un-revoked is ignored;</li>
 *   <li>a token issued before the one held is ignored;</li>
 *   <li>unless the held token does not verify (a forgery must not block the issuer's next token).</li>
 * </ul>
 * Apply it where the binding is stored (a state store with its own changelog), not on the compacted
 * topic: compaction keeps only the last record per job, which may be the replay.
 */
public final class CstBindings {

    private final TrustedKeys issuers;

    public CstBindings(TrustedKeys issuers) {
        this.issuers = Objects.requireNonNull(issuers, "issuers");
    }

    /** The binding to keep for the job: {@code incoming}, or {@code current} when the incoming would go back. */
    public Cst keep(Optional<Cst> current, Cst incoming) {
        if (current.isEmpty() || !verifies(current.get())) {
            return incoming;
        }
        Cst held = current.get();
        if (held.tokenId().equals(incoming.tokenId())) {
            return held.revoked() && !incoming.revoked() ? held : incoming;
        }
        return incoming.issuedAt().isBefore(held.issuedAt()) ? held : incoming;
    }

    private boolean verifies(Cst cst) {
        try {
            issuers.verify(cst.issuerKeyId(), cst.signedBytes(), cst.signature());
            return true;
        } catch (SignatureInvalidException | IllegalArgumentException e) {
            return false;
        }
    }
}
