package dev.clawstream.bundler;

import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static dev.clawstream.bundler.JobFixture.GATEWAY;
import static dev.clawstream.bundler.JobFixture.POLICY;
import static dev.clawstream.bundler.JobFixture.T0;
import static dev.clawstream.bundler.JobFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A bundle signed by the real bundler key whose decisions do not follow from its WPC is invalid: the
 * signature proves who sealed it, not that the enforcer decided right.
 */
class DecisionReplayTest {

    private static final TrustedKeys GATEWAYS = TrustedKeys.of(List.of(GATEWAY.verifier()));

    /** A sealed bundle of one decision on {@code url}, changed by {@code edit} before it is sealed. */
    private static BundleDocument sealedWith(String url, UnaryOperator<Decision> edit) {
        Decision d = JobFixture.enforcer(T0, POLICY).decide(JobFixture.event("e-1", T0, url, "http_get", null),
                new JobContext(Optional.of(TOKEN), false));
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                BundleSealerTest.header(), T0);
        r.decision(edit.apply(d), T0);
        return r.close(SealReason.JOB_CLOSED, T0.plusSeconds(1)).full();
    }

    private static BundleDocument sealedWithReceipt(GatewayReceipt receipt, UnaryOperator<Decision> edit) {
        Decision d = JobFixture.enforcer(T0, POLICY).decide(receipt, new JobContext(Optional.of(TOKEN), false));
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                BundleSealerTest.header(), T0);
        r.receipt(receipt, T0).decision(edit.apply(d), T0);
        return r.close(SealReason.JOB_CLOSED, T0.plusSeconds(1)).full();
    }

    private static VerificationException rejected(BundleDocument doc, BundleVerifier verifier) {
        try {
            verifier.verify(doc);
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    private static BundleVerifier full() {
        return BundleVerifier.forKey(BUNDLER.verifier()).withPolicies(List.of(POLICY)).withGatewayKeys(GATEWAYS);
    }

    @Test
    void decisionsAsTheEnforcerMadeThemVerify() throws Exception {
        full().verify(sealedWith("https://pypi.org/simple/", d -> d));
        full().verify(sealedWith("https://evil.example/", d -> d));
        full().verify(sealedWithReceipt(JobFixture.receipt("r-1", T0, "openai/gpt-4o-mini"), d -> d));
        full().verify(sealedWithReceipt(JobFixture.receipt("r-2", T0, "openai/gpt-5"), d -> d));
    }

    @Test
    void anAllowThePolicyWouldDenyIsRejectedNamingTheEntryAndBothVerdicts() {
        BundleDocument doc = sealedWith("https://evil.example/", d -> {
            d.setVerdict(Verdict.ALLOW);
            return d;
        });

        VerificationException e = rejected(doc, full());
        assertThat(e.check()).isEqualTo(Check.DECISION);
        assertThat(e.entryIndex()).hasValue(1);
        assertThat(e.expected()).isEqualTo("DENY");
        assertThat(e.actual()).isEqualTo("ALLOW");
    }

    @Test
    void aChangedReasonOrRuleIsRejected() {
        assertThat(rejected(sealedWith("https://pypi.org/", d -> {
            d.setReason(ReasonCode.ALLOWED_CIDR);
            return d;
        }), full()).check()).isEqualTo(Check.DECISION);
        assertThat(rejected(sealedWith("https://pypi.org/", d -> {
            d.setMatchedRule("/allow/domains/0");
            return d;
        }), full()).check()).isEqualTo(Check.DECISION);
    }

    @Test
    void aTokenDenialThatAllowsIsRejected() {
        VerificationException e = rejected(sealedWith("https://pypi.org/", d -> {
            d.setReason(ReasonCode.CST_EXPIRED);
            return d;
        }), full());
        assertThat(e.check()).isEqualTo(Check.DECISION);
        assertThat(e.getMessage()).contains("CST_EXPIRED");
    }

    @Test
    void aSidecarMismatchFlagThatDoesNotFollowIsRejected() {
        assertThat(rejected(sealedWith("https://pypi.org/", d -> {
            d.setSidecarMismatch(true);
            return d;
        }), full()).check()).isEqualTo(Check.DECISION);
    }

    @Test
    void aBundleUnderAnotherWpcThanTheOneGivenIsRejected() {
        CompiledPolicy other = JobFixture.compile(JobFixture.WPC.replace("pypi.org", "npmjs.org"));
        VerificationException e = rejected(sealedWith("https://pypi.org/", d -> d),
                BundleVerifier.forKey(BUNDLER.verifier()).withPolicies(List.of(other)));
        assertThat(e.check()).isEqualTo(Check.WPC_HASH);
        assertThat(e.actual()).isEqualTo(POLICY.hash().toString());
    }

    @Test
    void aForgedReceiptIsRejectedAndARecordedForgeryMustReallyBeOne() {
        GatewayReceipt good = JobFixture.receipt("r-1", T0, "openai/gpt-4o-mini");
        GatewayReceipt forged = GatewayReceipt.newBuilder(good).setModelId("openai/gpt-5").build();
        BundleDocument withForgedReceipt = sealedWithReceipt(forged, d -> d);

        assertThat(rejected(withForgedReceipt, full()).check()).isEqualTo(Check.RECEIPT_SIGNATURE);
        assertThat(rejected(sealedWithReceipt(good, d -> {
            d.setReason(ReasonCode.RECEIPT_SIGNATURE_INVALID);
            d.setVerdict(Verdict.DENY);
            d.setMatchedRule(null);
            return d;
        }), full()).check()).isEqualTo(Check.DECISION);
        GatewayReceipt otherGateway = dev.clawstream.enforcer.receipt.ReceiptSignature.sign(Keys.generate(),
                GatewayReceipt.newBuilder(good).setSignature(ByteBuffer.allocate(0)).build());
        assertThat(rejected(sealedWithReceipt(otherGateway, d -> d), full()).check()).isEqualTo(Check.RECEIPT_SIGNATURE);
    }

    @Test
    void aForgedReceiptInsideADecisionIsRejectedWithGatewayKeysAlone() {
        GatewayReceipt good = JobFixture.receipt("r-1", T0, "openai/gpt-4o-mini");
        GatewayReceipt forged = GatewayReceipt.newBuilder(good).setInputTokens(1).build();
        Decision d = JobFixture.enforcer(T0, POLICY).decide(good, new JobContext(Optional.of(TOKEN), false));
        d.setInput(forged);
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                BundleSealerTest.header(), T0);
        r.decision(d, T0);
        BundleDocument doc = r.close(SealReason.JOB_CLOSED, T0.plusSeconds(1)).full();

        VerificationException e = rejected(doc, BundleVerifier.forKey(BUNDLER.verifier()).withGatewayKeys(GATEWAYS));
        assertThat(e.check()).isEqualTo(Check.RECEIPT_SIGNATURE);
        assertThat(e.entryIndex()).hasValue(1);
    }

    @Test
    void reDecidingARedactedCopyIsAMisuseNotAVerdict() {
        BundleDocument redacted = sealedWith("https://pypi.org/", d -> d).withoutOpenings();
        assertThatThrownBy(() -> full().verify(redacted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("full bundle");
    }

    @Test
    void aHeaderWithoutAWpcStillHasItsDecisionsReDecided() {
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                new Header("job-1", "agent-1", Optional.empty(), Optional.empty(), Optional.empty(), T0), T0);
        Decision d = JobFixture.enforcer(T0, POLICY).decide(JobFixture.event("e-1", T0, "https://evil.example/", null, null),
                new JobContext(Optional.of(TOKEN), false));
        d.setVerdict(Verdict.ALLOW);
        r.decision(d, T0);
        assertThat(rejected(r.close(SealReason.JOB_CLOSED, T0).full(), full()).check()).isEqualTo(Check.DECISION);
    }
}
