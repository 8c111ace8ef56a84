package dev.clawstream.bundler;

import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static dev.clawstream.bundler.JobFixture.ISSUER;
import static dev.clawstream.bundler.JobFixture.POLICY;
import static dev.clawstream.bundler.JobFixture.T0;
import static dev.clawstream.bundler.JobFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With the issuers' keys, the verifier re-decides every token outcome from the tokens the chain
 * carries: a bundle that says a token let an event through when it was expired, revoked, forged or
 * for another agent is invalid, and so is one that blames a valid token.
 */
class TokenReplayTest {

    private static final TrustedKeys ISSUERS = TrustedKeys.of(List.of(ISSUER.verifier()));
    private static final Instant EXPIRED = TOKEN.expiresAt().plusSeconds(1);

    private final List<Decision> decisions = new ArrayList<>();

    /** The enforcer's decision on one event under {@code token}, carrying it when {@code announce}. */
    private TokenReplayTest decide(String id, Instant time, String agent, Optional<Cst> token, boolean announce) {
        Enforcer enforcer = JobFixture.enforcer(time, POLICY);
        EgressEvent event = EgressEvent.newBuilder(JobFixture.event(id, time, "https://pypi.org/simple/", "http_get",
                null)).setAgentId(agent).build();
        Decision d = enforcer.decide(event, new JobContext(token, false));
        if (announce) {
            d.setCst(CstRecords.toRecord(token.orElseThrow()));
        }
        decisions.add(d);
        return this;
    }

    private TokenReplayTest decide(String id, Instant time, Cst token, boolean announce) {
        return decide(id, time, "agent-1", Optional.of(token), announce);
    }

    private BundleDocument sealed() {
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                BundleSealerTest.header(), T0);
        decisions.forEach(d -> r.decision(d, T0));
        return r.close(SealReason.JOB_CLOSED, EXPIRED.plusSeconds(1)).full();
    }

    private static BundleVerifier withIssuers(TrustedKeys issuers) {
        return BundleVerifier.forKey(BUNDLER.verifier()).withIssuerKeys(issuers);
    }

    private static VerificationException rejected(BundleDocument doc, TrustedKeys issuers) {
        try {
            withIssuers(issuers).verify(doc);
        } catch (VerificationException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void everyOutcomeTheEnforcerGaveIsReDecidedFromTheTokensInTheChain() throws Exception {
        Cst revoked = new CstIssuer(ISSUER, Clock.fixed(T0.plusSeconds(20), ZoneOffset.UTC)).revoke(TOKEN);
        decide("e-1", T0.plusSeconds(1), TOKEN, true)
                .decide("e-2", T0.plusSeconds(2), "agent-2", Optional.of(TOKEN), false)
                .decide("e-3", EXPIRED, TOKEN, false)
                .decide("e-4", T0.plusSeconds(30), revoked, true);
        assertThat(decisions).extracting(Decision::getReason).containsExactly(ReasonCode.ALLOWED_DOMAIN,
                ReasonCode.CST_AGENT_MISMATCH, ReasonCode.CST_EXPIRED, ReasonCode.CST_REVOKED);

        BundleVerifier.Verified verified = withIssuers(ISSUERS).verify(sealed());

        assertThat(verified).isEqualTo(new BundleVerifier.Verified(4, 4, 0));
    }

    @Test
    void anAllowAfterTheTokenExpiredIsRejectedNamingTheEntryAndTheReason() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true).decide("e-2", EXPIRED, TOKEN, false);
        decisions.set(1, Decision.newBuilder(decisions.get(0)).setDecisionId("d-e-2").setCst(null)
                .setInput(EgressEvent.newBuilder((EgressEvent) decisions.get(0).getInput()).setTime(EXPIRED).build())
                .build());

        VerificationException e = rejected(sealed(), ISSUERS);

        assertThat(e.check()).isEqualTo(Check.DECISION);
        assertThat(e.entryIndex()).hasValue(2);
        assertThat(e.expected()).isEqualTo("CST_EXPIRED");
        assertThat(e.actual()).isEqualTo("ALLOWED_DOMAIN");
    }

    @Test
    void anAllowUnderARevokedTokenIsRejected() {
        Cst revoked = new CstIssuer(ISSUER, Clock.fixed(T0.plusSeconds(20), ZoneOffset.UTC)).revoke(TOKEN);
        decide("e-1", T0.plusSeconds(1), TOKEN, true).decide("e-2", T0.plusSeconds(30), revoked, true);
        Decision revokedDecision = decisions.get(1);
        decisions.set(1, Decision.newBuilder(decisions.get(0)).setDecisionId("d-e-2").setCst(revokedDecision.getCst())
                .build());

        VerificationException e = rejected(sealed(), ISSUERS);

        assertThat(e.entryIndex()).hasValue(2);
        assertThat(e.expected()).isEqualTo("CST_REVOKED");
        assertThat(e.actual()).isEqualTo("ALLOWED_DOMAIN");
    }

    @Test
    void aTokenNoTrustedIssuerSignedMakesItsAllowsInvalid() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true);

        VerificationException e = rejected(sealed(), TrustedKeys.of(List.of(Keys.generate().verifier())));

        assertThat(e.entryIndex()).hasValue(1);
        assertThat(e.expected()).isEqualTo("CST_SIGNATURE_INVALID");
        assertThat(e.actual()).isEqualTo("ALLOWED_DOMAIN");
    }

    @Test
    void aDecisionUnderAnotherWpcThanTheTokenPinsIsRejected() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true);
        decisions.get(0).setWpcHash("sha256:" + "ab".repeat(32));

        VerificationException e = rejected(sealed(), ISSUERS);

        assertThat(e.expected()).isEqualTo("WPC_PIN_MISMATCH");
        assertThat(e.actual()).isEqualTo("ALLOWED_DOMAIN");
    }

    @Test
    void aTokenDenialOfAValidTokenIsRejected() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true);
        decisions.get(0).setReason(ReasonCode.CST_AGENT_MISMATCH);
        decisions.get(0).setVerdict(Verdict.DENY);

        VerificationException e = rejected(sealed(), ISSUERS);

        assertThat(e.check()).isEqualTo(Check.DECISION);
        assertThat(e.actual()).isEqualTo("CST_AGENT_MISMATCH");
    }

    @Test
    void aDecisionNamingATokenCannotSayTheJobHadNone() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true);
        decisions.get(0).setReason(ReasonCode.NO_CST);

        assertThat(rejected(sealed(), ISSUERS).getMessage()).contains("says the job had no token but names one");
    }

    @Test
    void decisionsWhoseTokenIsNotInTheBundleAreCountedNotPassed() throws Exception {
        decide("e-1", T0.plusSeconds(1), TOKEN, false).decide("e-2", T0.plusSeconds(2), TOKEN, false);

        assertThat(withIssuers(ISSUERS).verify(sealed())).isEqualTo(new BundleVerifier.Verified(2, 0, 2));
    }

    @Test
    void aRedactedCopyCannotBeReDecided() {
        decide("e-1", T0.plusSeconds(1), TOKEN, true);
        JobFixture.Recorder r = new JobFixture.Recorder(SealerConfig.defaults(), JobFixture.countingSalts(),
                BundleSealerTest.header(), T0);
        r.decision(decisions.get(0), T0);
        BundleDocument redacted = r.close(SealReason.JOB_CLOSED, T0.plusSeconds(5)).redacted();

        assertThatThrownBy(() -> withIssuers(ISSUERS).verify(redacted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redacted");
    }
}
