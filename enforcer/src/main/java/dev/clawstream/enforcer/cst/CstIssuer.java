package dev.clawstream.enforcer.cst;

import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Signer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Issues and revokes tokens, for teams without a token service of their own (and for tests and demos). */
public final class CstIssuer {

    private final Signer issuer;
    private final Clock clock;

    public CstIssuer(Signer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /**
     * @param scopeJson the job's intended capabilities as JSON; its canonical hash is the scope hash
     * @param pins      WPC hashes the job may run under; empty means "the latest WPC named {@code wpcName}"
     */
    public Cst issue(String jobId, String agentId, String scopeJson, List<Sha256Hash> pins, Optional<String> wpcName,
                     List<String> attestations, Duration ttl) {
        if (pins.isEmpty() && wpcName.isEmpty()) {
            throw new IllegalArgumentException("a token pins WPC hashes or names a WPC; it has neither");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, got " + ttl);
        }
        // Milliseconds: the precision every representation of the token (JSON, Avro) keeps exactly.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String canonicalScope = Jcs.canonicalString(scopeJson);
        Cst unsigned = new Cst("cst-" + UUID.randomUUID(), jobId, agentId, Optional.of(canonicalScope),
                Jcs.hash(scopeJson), pins, wpcName, attestations, now, now.plus(ttl), false, Optional.empty(),
                issuer.keyId(), new byte[0]);
        return unsigned.withSignature(issuer.sign(unsigned.signedBytes()));
    }

    /** The token marked revoked now, re-signed by this issuer. */
    public Cst revoke(Cst token) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Cst unsigned = new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(),
                true, Optional.of(now), issuer.keyId(), new byte[0]);
        return unsigned.withSignature(issuer.sign(unsigned.signedBytes()));
    }
}
