package dev.clawstream.enforcer.decision;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EnforcerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Signer ISSUER = Keys.generate();
    private static final Signer GATEWAY = Keys.generate();

    private final CompiledPolicy v1 = compile("""
            {"name": "triage", "version": "1", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
             "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]}}""");
    private final CompiledPolicy v2 = compile("""
            {"name": "triage", "version": "2", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}, "pypi.org"]},
             "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]}}""");
    private final Catalog catalog = new Catalog();
    private final CstIssuer issuer = new CstIssuer(ISSUER, Clock.fixed(T0, ZoneOffset.UTC));
    private final Enforcer enforcer = new Enforcer(new PolicyEngine(new CstCheck(TrustedKeys.of(List.of(ISSUER.verifier())))),
            catalog, TrustedKeys.of(List.of(GATEWAY.verifier())), Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));

    @Test
    void anAllowedEventCarriesTheHashTokenAndScopeItWasDecidedUnder() {
        catalog.add(v1);
        Cst token = pinned(v1.hash());

        Decision d = enforcer.decide(event("e-1", "https://api.openai.com/v1/chat", null), new JobContext(Optional.of(token), false));

        assertThat(d.getVerdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.getReason()).isEqualTo(ReasonCode.ALLOWED_DOMAIN);
        assertThat(d.getDecisionId()).isEqualTo("d-e-1");
        assertThat(d.getWpcHash()).isEqualTo(v1.hash().toString());
        assertThat(d.getTokenId()).isEqualTo(token.tokenId());
        assertThat(d.getCstScopeHash()).isEqualTo(token.scopeHash().toString());
        assertThat(d.getMatchedRule()).isEqualTo("/allow/domains/0");
    }

    @Test
    void anUnpinnedJobFollowsTheLatestVersionAndAPinnedOneKeepsItsHash() {
        catalog.add(v1);
        JobContext unpinned = new JobContext(Optional.of(named("triage")), false);
        JobContext pinned = new JobContext(Optional.of(pinned(v1.hash())), false);
        EgressEvent pypi = event("e-2", "https://pypi.org/simple/", null);

        assertThat(enforcer.decide(pypi, unpinned).getReason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        catalog.add(v2);
        Decision after = enforcer.decide(pypi, unpinned);
        assertThat(after.getVerdict()).isEqualTo(Verdict.ALLOW);
        assertThat(after.getWpcHash()).isEqualTo(v2.hash().toString());
        Decision stillPinned = enforcer.decide(pypi, pinned);
        assertThat(stillPinned.getReason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(stillPinned.getWpcHash()).isEqualTo(v1.hash().toString());
    }

    @Test
    void failsClosedWithTheReason() {
        catalog.add(v1);
        EgressEvent allowed = event("e-3", "https://api.openai.com/", null);

        assertThat(enforcer.decide(allowed, JobContext.unknownJob()).getReason()).isEqualTo(ReasonCode.NO_CST);
        assertThat(enforcer.decide(allowed, new JobContext(Optional.of(pinned(v1.hash())), true)).getReason())
                .isEqualTo(ReasonCode.JOB_CLOSED);
        assertThat(enforcer.decide(allowed, new JobContext(Optional.of(pinned(v2.hash())), false)).getReason())
                .isEqualTo(ReasonCode.WPC_UNKNOWN);
        assertThat(enforcer.decide(allowed, new JobContext(Optional.of(issuer.revoke(pinned(v1.hash()))), false))
                .getReason()).isEqualTo(ReasonCode.CST_REVOKED);
        EgressEvent late = EgressEvent.newBuilder(allowed).setTime(T0.plus(Duration.ofHours(2))).build();
        assertThat(enforcer.decide(late, new JobContext(Optional.of(pinned(v1.hash())), false)).getReason())
                .isEqualTo(ReasonCode.CST_EXPIRED);
        EgressEvent nothing = EgressEvent.newBuilder(allowed).setUrl(null).build();
        assertThat(enforcer.decide(nothing, new JobContext(Optional.of(pinned(v1.hash())), false)).getReason())
                .isEqualTo(ReasonCode.INVALID_DESTINATION);
    }

    @Test
    void aSidecarThatAllowedWhatPolicyDeniesIsFlagged() {
        catalog.add(v1);
        JobContext job = new JobContext(Optional.of(pinned(v1.hash())), false);

        Decision bypass = enforcer.decide(event("e-4", "https://attacker.com/collect", Verdict.ALLOW), job);
        Decision agreed = enforcer.decide(event("e-5", "https://api.openai.com/", Verdict.ALLOW), job);

        assertThat(bypass.getVerdict()).isEqualTo(Verdict.DENY);
        assertThat(bypass.getSidecarMismatch()).isTrue();
        assertThat(agreed.getSidecarMismatch()).isFalse();
    }

    @Test
    void receiptsAreEvidenceOnlyIfTheyVerifyAndMatchTheToken() {
        catalog.add(v1);
        Cst token = pinned(v1.hash());
        JobContext job = new JobContext(Optional.of(token), false);
        GatewayReceipt signed = ReceiptSignature.sign(GATEWAY, receipt(token.scopeHash().toString(), "openai/gpt-4o-mini"));

        assertThat(enforcer.decide(signed, job).getReason()).isEqualTo(ReasonCode.ALLOWED_MODEL);
        GatewayReceipt forged = GatewayReceipt.newBuilder(signed).setModelId("openai/gpt-4o").build();
        assertThat(enforcer.decide(forged, job).getReason()).isEqualTo(ReasonCode.RECEIPT_SIGNATURE_INVALID);
        GatewayReceipt stranger = ReceiptSignature.sign(Keys.generate(), receipt(token.scopeHash().toString(), "openai/gpt-4o-mini"));
        assertThat(enforcer.decide(stranger, job).getReason()).isEqualTo(ReasonCode.RECEIPT_KEY_UNKNOWN);
        GatewayReceipt otherScope = ReceiptSignature.sign(GATEWAY, receipt("sha256:" + "0".repeat(64), "openai/gpt-4o-mini"));
        assertThat(enforcer.decide(otherScope, job).getReason()).isEqualTo(ReasonCode.RECEIPT_SCOPE_MISMATCH);
        GatewayReceipt swapped = ReceiptSignature.sign(GATEWAY, receipt(token.scopeHash().toString(), "openai/gpt-4o"));
        assertThat(enforcer.decide(swapped, job).getReason()).isEqualTo(ReasonCode.MODEL_NOT_ALLOWED);
    }

    private Cst pinned(Sha256Hash hash) {
        return issuer.issue("job-1", "agent-1", "{}", List.of(hash), Optional.empty(), List.of(), Duration.ofHours(1));
    }

    private Cst named(String name) {
        return issuer.issue("job-1", "agent-1", "{}", List.of(), Optional.of(name), List.of(), Duration.ofHours(1));
    }

    private static EgressEvent event(String id, String url, Verdict sidecar) {
        return EgressEvent.newBuilder().setEventId(id).setTime(T0.plusSeconds(1)).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy").setUrl(url).setSidecarVerdict(sidecar).build();
    }

    private static GatewayReceipt receipt(String scopeHash, String model) {
        return GatewayReceipt.newBuilder().setReceiptId("r-" + model).setTime(T0.plusSeconds(2)).setAgentId("agent-1")
                .setJobId("job-1").setProvider("openrouter").setModelId(model).setRequestSha256("aa")
                .setResponseSha256("bb").setCstScopeHash(scopeHash).setGatewayKeyId("").setSignature(ByteBuffer.allocate(0))
                .build();
    }

    private static CompiledPolicy compile(String json) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(json, "test.json");
        return CompiledPolicy.compile(valid.wpc(), valid.document().hash());
    }

    /** An in-memory catalog: the newest added version of a name is its latest. */
    private static final class Catalog implements WpcCatalog {
        private final Map<Sha256Hash, CompiledPolicy> byHash = new HashMap<>();
        private final Map<String, CompiledPolicy> latest = new HashMap<>();

        void add(CompiledPolicy policy) {
            byHash.put(policy.hash(), policy);
            latest.put(policy.wpc().name(), policy);
        }

        @Override
        public Optional<CompiledPolicy> byHash(Sha256Hash hash) {
            return Optional.ofNullable(byHash.get(hash));
        }

        @Override
        public Optional<CompiledPolicy> latestByName(String name) {
            return Optional.ofNullable(latest.get(name));
        }
    }
}
