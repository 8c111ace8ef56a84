package dev.clawstream.enforcer.cst;

import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.ReasonCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class CstTest {

    /** RFC 8032 TEST 1 secret key: the worked example in docs/cst.md is reproducible by anyone. */
    private static final Signer ISSUER = Keys.privateKeyFromRaw(
            HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Sha256Hash WPC = Sha256Hash.parse("sha256:" + "ab".repeat(32));
    private static final Sha256Hash OTHER_WPC = Sha256Hash.parse("sha256:" + "cd".repeat(32));

    private final CstIssuer issuer = new CstIssuer(ISSUER, Clock.fixed(T0, ZoneOffset.UTC));
    private final CstCheck check = new CstCheck(TrustedKeys.of(List.of(ISSUER.verifier())));
    private final Cst token = issuer.issue("job-1", "agent-1", "{\"tools\": [\"http_get\"], \"egress\": \"pypi\"}",
            List.of(WPC), Optional.empty(), List.of("needs_go_packages"), Duration.ofHours(1));

    @Test
    void signedBytesAreTheDocumentedCanonicalJson() {
        Cst example = new Cst("cst-example", "job-1", "agent-1", Optional.of("{\"tools\":[\"http_get\"]}"),
                Jcs.hash("{\"tools\":[\"http_get\"]}"), List.of(WPC), Optional.empty(), List.of(), T0,
                T0.plus(Duration.ofHours(1)), false, Optional.empty(), ISSUER.keyId(), new byte[0]);

        String bytes = new String(example.signedBytes(), StandardCharsets.UTF_8);

        assertThat(bytes).isEqualTo("{\"agent_id\":\"agent-1\",\"attestations\":[],"
                + "\"expires_at\":\"2026-11-22T11:00:00.000Z\",\"issued_at\":\"2026-11-22T10:00:00.000Z\","
                + "\"issuer_key_id\":\"" + ISSUER.keyId() + "\",\"job_id\":\"job-1\","
                + "\"pinned_wpc_hashes\":[\"sha256:" + "ab".repeat(32) + "\"],\"revoked\":false,\"revoked_at\":null,"
                + "\"scope\":{\"tools\":[\"http_get\"]},\"scope_hash\":\"" + Jcs.hash("{\"tools\":[\"http_get\"]}")
                + "\",\"token_id\":\"cst-example\",\"type\":\"clawstream-cst/v1\",\"wpc_name\":null}");
        assertThat(HexFormat.of().formatHex(ISSUER.sign(example.signedBytes())))
                .isEqualTo(CstDocExample.SIGNATURE_HEX);
    }

    @Test
    void aFreshTokenForTheRightAgentAndPinnedWpcPasses() {
        assertThat(check.check(Optional.of(token), "agent-1", T0.plusSeconds(60), WPC)).isEmpty();
    }

    @Test
    void eachFailureHasItsOwnReason() {
        Cst forged = new Cst(token.tokenId(), token.jobId(), "agent-2", token.scope(), token.scopeHash(),
                token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(),
                false, Optional.empty(), token.issuerKeyId(), token.signature());
        Cst strangers = new CstIssuer(Keys.generate(), Clock.fixed(T0, ZoneOffset.UTC))
                .issue("job-1", "agent-1", "{}", List.of(WPC), Optional.empty(), List.of(), Duration.ofHours(1));

        assertThat(reason(Optional.empty(), "agent-1", T0, WPC)).isEqualTo(ReasonCode.NO_CST);
        assertThat(reason(Optional.of(issuer.revoke(token)), "agent-1", T0, WPC)).isEqualTo(ReasonCode.CST_REVOKED);
        assertThat(reason(Optional.of(forged), "agent-2", T0, WPC)).isEqualTo(ReasonCode.CST_SIGNATURE_INVALID);
        assertThat(reason(Optional.of(strangers), "agent-1", T0, WPC)).isEqualTo(ReasonCode.CST_SIGNATURE_INVALID);
        assertThat(reason(Optional.of(token), "agent-1", T0.plus(Duration.ofHours(1)), WPC))
                .isEqualTo(ReasonCode.CST_EXPIRED);
        assertThat(reason(Optional.of(token), "agent-1", T0.minus(Duration.ofMinutes(5)), WPC))
                .isEqualTo(ReasonCode.CST_EXPIRED);
        assertThat(reason(Optional.of(token), "agent-2", T0, WPC)).isEqualTo(ReasonCode.CST_AGENT_MISMATCH);
        assertThat(reason(Optional.of(token), "agent-1", T0, OTHER_WPC)).isEqualTo(ReasonCode.WPC_PIN_MISMATCH);
    }

    @Test
    void aRevokedTokenIsRevokedEvenWithAForgedRevocation() {
        Cst revokedByNobody = new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(),
                true, Optional.of(T0), token.issuerKeyId(), token.signature());

        assertThat(reason(Optional.of(revokedByNobody), "agent-1", T0, WPC)).isEqualTo(ReasonCode.CST_REVOKED);
    }

    @Test
    void aTokenSurvivesTheAvroRecordUnchanged() {
        Cst back = CstRecords.fromRecord(CstRecords.toRecord(token));

        assertThat(back).isEqualTo(token);
        assertThat(check.check(Optional.of(back), "agent-1", T0, WPC)).isEmpty();
    }

    private ReasonCode reason(Optional<Cst> cst, String agent, Instant now, Sha256Hash wpc) {
        return check.check(cst, agent, now, wpc).map(CstFailure::reason).orElse(null);
    }

    /** The signature of the docs/cst.md example, kept apart so the doc and the test quote one value. */
    static final class CstDocExample {
        static final String SIGNATURE_HEX = "81e8d546383c1af711822e05b13fa30b18c9d9d3ed903f7819a1411d1cdabe4e07088f3d5630f687bba333aa1b1fbc32e930409f8aa25defb15c906b1133140b";
    }
}
