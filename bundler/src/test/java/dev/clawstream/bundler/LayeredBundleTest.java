package dev.clawstream.bundler;

import dev.clawstream.bundler.chain.Header;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.clawstream.bundler.JobFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A job under a layered policy with an attestation-bound rule: its bundle re-decides only under its own layers. */
class LayeredBundleTest {

    private static final String ORG = """
            {"name": "org", "default": "deny",
             "allow": {"domains": ["api.openai.com", "pkg.go.dev", "pypi.org", "proxy.golang.org"]},
             "deny": {"ip_cidrs": ["169.254.169.254/32"]}}""";
    private static final CompiledPolicy ORG_POLICY = JobFixture.compile(ORG);
    private static final CompiledPolicy AGENT_POLICY = JobFixture.compile("""
            {"name": "builder", "default": "deny", "extends": ["%s"],
             "allow": {"domains": ["api.openai.com", "proxy.golang.org", "evil.example",
                                   {"pattern": "pkg.go.dev", "requires_attestation": "needs_go_packages"}]}}"""
            .formatted(ORG_POLICY.hash()));

    private static BundleDocument layeredBundle() {
        Instant t1 = T0.plusSeconds(1);
        Cst token = token(List.of("needs_go_packages"));
        Enforcer enforcer = JobFixture.enforcer(t1, ORG_POLICY, AGENT_POLICY);
        JobContext job = new JobContext(Optional.of(token), false);
        List<Decision> decisions = List.of(
                enforcer.decide(JobFixture.event("e-1", t1, "https://api.openai.com/v1", null, Verdict.ALLOW), job),
                enforcer.decide(JobFixture.event("e-2", t1, "https://pkg.go.dev/net/http", null, null), job),
                enforcer.decide(JobFixture.event("e-3", t1, "https://pypi.org/simple/", null, null), job),
                enforcer.decide(JobFixture.event("e-4", t1, "https://evil.example/", null, null), job),
                enforcer.decide(EgressEvent.newBuilder(JobFixture.event("e-5", t1, "https://cdn.mirror.example/x", null,
                        null)).setRedirectFrom("https://proxy.golang.org/x").build(), job));
        assertThat(decisions).extracting(Decision::getVerdict)
                .containsExactly(Verdict.ALLOW, Verdict.ALLOW, Verdict.DENY, Verdict.DENY, Verdict.DENY);
        assertThat(decisions.get(4).getRedirectSourceVerdict()).isEqualTo(Verdict.ALLOW);
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                Header.fromDecision(decisions.get(0)), T0);
        decisions.forEach(d -> r.decision(d, t1));
        return r.close(SealReason.JOB_CLOSED, T0.plusSeconds(60)).full();
    }

    @Test
    void aLayeredBundleVerifiesUnderItsLayers() throws Exception {
        BundleDocument doc = layeredBundle();

        BundleVerifier.forKey(JobFixture.BUNDLER.verifier()).withPolicies(List.of(ORG_POLICY, AGENT_POLICY)).verify(doc);
        assertThat(doc.entries().get(0).entry().at("/wpc_layer_hashes").orElseThrow().toString())
                .contains(ORG_POLICY.hash().toString(), AGENT_POLICY.hash().toString());
    }

    @Test
    void aMissingLayerMakesTheBundleUnverifiable() {
        BundleDocument doc = layeredBundle();

        assertThatThrownBy(() -> BundleVerifier.forKey(JobFixture.BUNDLER.verifier()).withPolicies(List.of(AGENT_POLICY))
                .verify(doc)).isInstanceOfSatisfying(VerificationException.class,
                e -> assertThat(e.check()).isEqualTo(VerificationException.Check.WPC_HASH));
    }

    @Test
    void reDecidedUnderAWrongLayerTheBundleFails() {
        BundleDocument doc = layeredBundle();
        // Another organisation layer filed under the real one's hash: the decisions no longer follow.
        WpcParseResult.Valid wrong = (WpcParseResult.Valid) WpcParser.parse(ORG.replace("\"pkg.go.dev\", ", ""), "org.json");
        CompiledPolicy impostor = CompiledPolicy.compile(wrong.wpc(), ORG_POLICY.hash());

        assertThatThrownBy(() -> BundleVerifier.forKey(JobFixture.BUNDLER.verifier())
                .withPolicies(List.of(impostor, AGENT_POLICY)).verify(doc))
                .isInstanceOfSatisfying(VerificationException.class, e -> {
                    assertThat(e.check()).isEqualTo(VerificationException.Check.DECISION);
                    assertThat(e.getMessage()).contains("d-e-2");
                });
    }

    @Test
    void aDenialForAMissingAttestationReDecidesTheSame() throws Exception {
        Cst without = token(List.of());
        Decision denied = JobFixture.enforcer(T0.plusSeconds(1), ORG_POLICY, AGENT_POLICY).decide(
                JobFixture.event("e-1", T0.plusSeconds(1), "https://pkg.go.dev/", null, null),
                new JobContext(Optional.of(without), false));

        assertThat(denied.getReason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(denied.getAttestations()).isEmpty();
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                Header.fromDecision(denied), T0);
        r.decision(denied, T0.plusSeconds(1));
        BundleVerifier.forKey(JobFixture.BUNDLER.verifier()).withPolicies(List.of(ORG_POLICY, AGENT_POLICY))
                .verify(r.close(SealReason.JOB_CLOSED, T0.plusSeconds(60)).full());
    }

    private static Cst token(List<String> attestations) {
        String scope = "{\"tools\":[\"http_get\"]}";
        Cst unsigned = new Cst("cst-2", "job-1", "agent-1", Optional.of(Jcs.canonicalString(scope)), Jcs.hash(scope),
                List.of(AGENT_POLICY.hash()), Optional.empty(), attestations, T0, T0.plus(Duration.ofHours(1)), false,
                Optional.empty(), JobFixture.ISSUER.keyId(), new byte[0]);
        return new Cst(unsigned.tokenId(), unsigned.jobId(), unsigned.agentId(), unsigned.scope(), unsigned.scopeHash(),
                unsigned.pinnedWpcHashes(), unsigned.wpcName(), unsigned.attestations(), unsigned.issuedAt(),
                unsigned.expiresAt(), false, Optional.empty(), unsigned.issuerKeyId(),
                JobFixture.ISSUER.sign(unsigned.signedBytes()));
    }
}
