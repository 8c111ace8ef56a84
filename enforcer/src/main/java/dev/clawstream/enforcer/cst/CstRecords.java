package dev.clawstream.enforcer.cst;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.schemas.CstRecord;

import java.nio.ByteBuffer;
import java.util.Optional;

/** Between the token and its Avro record on {@code cst.bindings}. */
public final class CstRecords {

    private CstRecords() {
    }

    public static CstRecord toRecord(Cst cst) {
        return CstRecord.newBuilder()
                .setTokenId(cst.tokenId()).setJobId(cst.jobId()).setAgentId(cst.agentId())
                .setScope(cst.scope().orElse(null)).setScopeHash(cst.scopeHash().toString())
                .setPinnedWpcHashes(cst.pinnedWpcHashes().stream().map(Sha256Hash::toString).toList())
                .setWpcName(cst.wpcName().orElse(null)).setAttestations(cst.attestations())
                .setIssuedAt(cst.issuedAt()).setExpiresAt(cst.expiresAt())
                .setRevoked(cst.revoked()).setRevokedAt(cst.revokedAt().orElse(null))
                .setIssuerKeyId(cst.issuerKeyId().toString())
                .setSignature(ByteBuffer.wrap(cst.signature()))
                .build();
    }

    /** @throws IllegalArgumentException when a hash or key id is not {@code sha256:<hex>} */
    public static Cst fromRecord(CstRecord r) {
        ByteBuffer sig = r.getSignature().duplicate();
        byte[] signature = new byte[sig.remaining()];
        sig.get(signature);
        return new Cst(r.getTokenId(), r.getJobId(), r.getAgentId(), Optional.ofNullable(r.getScope()),
                Sha256Hash.parse(r.getScopeHash()), r.getPinnedWpcHashes().stream().map(Sha256Hash::parse).toList(),
                Optional.ofNullable(r.getWpcName()), r.getAttestations(), r.getIssuedAt(), r.getExpiresAt(),
                r.getRevoked(), Optional.ofNullable(r.getRevokedAt()), KeyId.parse(r.getIssuerKeyId()), signature);
    }
}
