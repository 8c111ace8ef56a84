package dev.clawstream.enforcer.cst;

import dev.clawstream.schemas.DocBlocks;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.schemas.ReasonCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
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

    @Test
    void theDocumentQuotesTheBytesAndSignatureThisTestAsserts() throws Exception {
        Cst example = new Cst("cst-example", "job-1", "agent-1", Optional.of("{\"tools\":[\"http_get\"]}"),
                Jcs.hash("{\"tools\":[\"http_get\"]}"), List.of(WPC), Optional.empty(), List.of(), T0,
                T0.plus(Duration.ofHours(1)), false, Optional.empty(), ISSUER.keyId(), new byte[0]);
        String doc = Files.readString(DocBlocks.docs().resolve("cst.md"));

        assertThat(DocBlocks.blocks(doc)).contains(new String(example.signedBytes(), StandardCharsets.UTF_8),
                CstDocExample.SIGNATURE_HEX);
        assertThat(doc).contains(ISSUER.keyId().toString());
    }

    @Test
    void whenSeveralReasonsApplyTheDocumentedFirstOneIsReported() {
        Cst revoked = issuer.revoke(token);
        Cst forged = copy(token, "agent-2", false, Optional.empty(), token.signature());
        Instant expired = T0.plus(Duration.ofHours(2));

        assertThat(reason(Optional.of(revoked), "agent-2", expired, OTHER_WPC)).isEqualTo(ReasonCode.CST_REVOKED);
        assertThat(reason(Optional.of(forged), "agent-1", expired, OTHER_WPC)).isEqualTo(ReasonCode.CST_SIGNATURE_INVALID);
        assertThat(reason(Optional.of(token), "agent-2", expired, OTHER_WPC)).isEqualTo(ReasonCode.CST_EXPIRED);
        assertThat(reason(Optional.of(token), "agent-2", T0, OTHER_WPC)).isEqualTo(ReasonCode.CST_AGENT_MISMATCH);
    }

    @Test
    void validityWindowEdges() {
        Instant expiry = token.expiresAt();

        assertThat(reason(Optional.of(token), "agent-1", expiry.minusMillis(1), WPC)).isNull();
        assertThat(reason(Optional.of(token), "agent-1", expiry, WPC)).isEqualTo(ReasonCode.CST_EXPIRED);
        assertThat(reason(Optional.of(token), "agent-1", T0.minus(CstCheck.CLOCK_SKEW), WPC)).isNull();
        assertThat(reason(Optional.of(token), "agent-1", T0.minus(CstCheck.CLOCK_SKEW).minusMillis(1), WPC))
                .isEqualTo(ReasonCode.CST_EXPIRED);
    }

    @Test
    void aTokenNamingAWpcInsteadOfPinningRunsUnderWhicheverWpcIsInForce() {
        Cst named = issuer.issue("job-2", "agent-1", "{}", List.of(), Optional.of("default"), List.of(), Duration.ofHours(1));

        assertThat(reason(Optional.of(named), "agent-1", T0, WPC)).isNull();
        assertThat(reason(Optional.of(named), "agent-1", T0, OTHER_WPC)).isNull();
    }

    @Test
    void everyAlteredFieldBreaksTheSignature() {
        // The genuine token is checked first, so its outcome is remembered: a memo keyed on anything less
        // than the whole token would wave the altered copies below through.
        assertThat(reason(Optional.of(token), token.agentId(), T0, WPC)).isNull();
        List<Cst> altered = List.of(
                new Cst(token.tokenId(), token.jobId(), "agent-2", token.scope(), token.scopeHash(), token.pinnedWpcHashes(),
                        token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(), false, Optional.empty(),
                        token.issuerKeyId(), token.signature()),
                new Cst("cst-other", token.jobId(), token.agentId(), token.scope(), token.scopeHash(), token.pinnedWpcHashes(),
                        token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(), false, Optional.empty(),
                        token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), "job-2", token.agentId(), token.scope(), token.scopeHash(), token.pinnedWpcHashes(),
                        token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(), false, Optional.empty(),
                        token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), Optional.of("{\"egress\":\"any\"}"),
                        token.scopeHash(), token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(),
                        token.expiresAt(), false, Optional.empty(), token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                        List.of(WPC, OTHER_WPC), token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(),
                        false, Optional.empty(), token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                        token.pinnedWpcHashes(), Optional.of("default"), token.attestations(), token.issuedAt(),
                        token.expiresAt(), false, Optional.empty(), token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                        token.pinnedWpcHashes(), token.wpcName(), List.of("needs_go_packages", "root"), token.issuedAt(),
                        token.expiresAt(), false, Optional.empty(), token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                        token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(),
                        token.expiresAt().plusMillis(1), false, Optional.empty(), token.issuerKeyId(), token.signature()),
                new Cst(token.tokenId(), token.jobId(), token.agentId(), token.scope(), token.scopeHash(),
                        token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt().minusMillis(1),
                        token.expiresAt(), false, Optional.empty(), token.issuerKeyId(), token.signature()));
        List<String> failures = new ArrayList<>();
        for (Cst cst : altered) {
            ReasonCode got = reason(Optional.of(cst), cst.agentId(), T0, WPC);
            if (got != ReasonCode.CST_SIGNATURE_INVALID) {
                failures.add(cst + " gave " + got);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aScopeThatIsNotOneJsonValueIsAnInvalidTokenNotACrash() {
        List<String> failures = new ArrayList<>();
        for (String scope : List.of("{\"a\":1,\"a\":2}", "{\"a\":1} {\"b\":2}", "not json", "{\"a\":")) {
            Cst cst = new Cst(token.tokenId(), token.jobId(), token.agentId(), Optional.of(scope), token.scopeHash(),
                    token.pinnedWpcHashes(), token.wpcName(), token.attestations(), token.issuedAt(), token.expiresAt(),
                    false, Optional.empty(), token.issuerKeyId(), token.signature());
            Optional<CstFailure> failure = check.check(Optional.of(cst), "agent-1", T0, WPC);
            if (failure.isEmpty() || failure.get().reason() != ReasonCode.CST_SIGNATURE_INVALID) {
                failures.add(scope + " gave " + failure);
            } else if (failure.get().detail().contains(scope)) {
                failures.add(scope + " is quoted in " + failure.get().detail());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aRevocationIsReSignedAndSaysSo() {
        Cst revoked = new CstIssuer(ISSUER, Clock.fixed(T0.plusSeconds(90), ZoneOffset.UTC)).revoke(token);
        Cst forgedRevocation = copy(token, token.agentId(), true, Optional.of(T0), token.signature());

        assertThat(revoked.revokedAt()).contains(T0.plusSeconds(90));
        assertThat(check.check(Optional.of(revoked), "agent-1", T0, WPC)).get().extracting(CstFailure::detail)
                .isEqualTo("token " + token.tokenId() + " was revoked at 2026-11-22T10:01:30.000Z");
        assertThat(check.check(Optional.of(forgedRevocation), "agent-1", T0, WPC)).get().extracting(CstFailure::detail)
                .asString().contains("the revocation itself does not verify");
    }

    @Test
    void aRevokedRecordWithoutARevocationTimeIsStillRevoked() {
        var record = CstRecords.toRecord(token);
        record.setRevoked(true);
        record.setRevokedAt(null);

        assertThat(reason(Optional.of(CstRecords.fromRecord(record)), "agent-1", T0, WPC)).isEqualTo(ReasonCode.CST_REVOKED);
    }

    @Test
    void aRevokedTokenSurvivesTheAvroRecordAndStillVerifies() {
        Cst revoked = issuer.revoke(token);
        Cst back = CstRecords.fromRecord(CstRecords.toRecord(revoked));

        assertThat(back).isEqualTo(revoked);
        assertThat(back.signedBytes()).isEqualTo(revoked.signedBytes());
        assertThat(check.check(Optional.of(back), "agent-1", T0, WPC)).get().extracting(CstFailure::detail)
                .asString().doesNotContain("does not verify");
    }

    @Test
    void aJobsBindingNeverGoesBack() {
        CstBindings bindings = new CstBindings(TrustedKeys.of(List.of(ISSUER.verifier())));
        Cst revoked = issuer.revoke(token);
        Cst later = new CstIssuer(ISSUER, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC))
                .issue("job-1", "agent-1", "{}", List.of(WPC), Optional.empty(), List.of(), Duration.ofHours(1));
        Cst forgedFuture = copy(new CstIssuer(ISSUER, Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC))
                .issue("job-1", "agent-1", "{}", List.of(WPC), Optional.empty(), List.of(), Duration.ofHours(1)),
                "agent-9", false, Optional.empty(), token.signature());

        assertThat(bindings.keep(Optional.empty(), token)).isEqualTo(token);
        assertThat(bindings.keep(Optional.of(token), revoked)).isEqualTo(revoked);
        assertThat(bindings.keep(Optional.of(revoked), token)).as("replayed pre-revocation token").isEqualTo(revoked);
        assertThat(bindings.keep(Optional.of(revoked), later)).isEqualTo(later);
        assertThat(bindings.keep(Optional.of(later), token)).as("replayed older token").isEqualTo(later);
        assertThat(bindings.keep(Optional.of(forgedFuture), later)).as("a forgery blocks nothing").isEqualTo(later);
    }

    private static Cst copy(Cst t, String agent, boolean revoked, Optional<Instant> revokedAt, byte[] signature) {
        return new Cst(t.tokenId(), t.jobId(), agent, t.scope(), t.scopeHash(), t.pinnedWpcHashes(), t.wpcName(),
                t.attestations(), t.issuedAt(), t.expiresAt(), revoked, revokedAt, t.issuerKeyId(), signature);
    }

    private ReasonCode reason(Optional<Cst> cst, String agent, Instant now, Sha256Hash wpc) {
        return check.check(cst, agent, now, wpc).map(CstFailure::reason).orElse(null);
    }

    /** The signature of the docs/cst.md example, kept apart so the doc and the test quote one value. */
    static final class CstDocExample {
        static final String SIGNATURE_HEX = "81e8d546383c1af711822e05b13fa30b18c9d9d3ed903f7819a1411d1cdabe4e07088f3d5630f687bba333aa1b1fbc32e930409f8aa25defb15c906b1133140b";
    }
}
