package dev.clawstream.alerter;

import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Decisions as the enforcer writes them, built fluently for tests. */
public final class TestDecision {

    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    public static final String WPC = "sha256:" + "ab".repeat(32);
    public static final String SCOPE = "sha256:" + "cd".repeat(32);

    private String id = "e-1";
    private Instant time = T0;
    private String agent = "agent-1";
    private String job = "job-1";
    private String url = "https://api.openai.com/v1/chat/completions";
    private String host;
    private Verdict verdict = Verdict.ALLOW;
    private ReasonCode reason = ReasonCode.ALLOWED_DOMAIN;
    private Verdict sidecar;
    private boolean mismatch;
    private long bytesOut = 1000;
    private boolean receipt;
    private String receiptScope = SCOPE;
    private String redirectFrom;
    private Verdict redirectSourceVerdict;
    private PolicyMode mode = PolicyMode.ENFORCE;
    private Verdict wouldBeVerdict;
    private ReasonCode wouldBeReason;

    public static TestDecision egress(String id) {
        TestDecision d = new TestDecision();
        d.id = id;
        return d;
    }

    public static TestDecision receipt(String id) {
        TestDecision d = egress(id);
        d.receipt = true;
        d.reason = ReasonCode.ALLOWED_MODEL;
        return d;
    }

    public TestDecision at(Instant t) {
        this.time = t;
        return this;
    }

    public TestDecision agent(String a) {
        this.agent = a;
        return this;
    }

    public TestDecision job(String j) {
        this.job = j;
        return this;
    }

    public TestDecision url(String u) {
        this.url = u;
        this.host = null;
        return this;
    }

    public TestDecision host(String h) {
        this.host = h;
        this.url = null;
        return this;
    }

    public TestDecision denied(ReasonCode r) {
        this.verdict = Verdict.DENY;
        this.reason = r;
        return this;
    }

    public TestDecision reason(ReasonCode r) {
        this.reason = r;
        return this;
    }

    public TestDecision sidecar(Verdict v) {
        this.sidecar = v;
        this.mismatch = v != (wouldBeVerdict != null ? wouldBeVerdict : verdict);
        return this;
    }

    /** Reached through a redirect from {@code url}, which the job's policy decides {@code sourceVerdict}. */
    public TestDecision redirectedFrom(String url, Verdict sourceVerdict) {
        this.redirectFrom = url;
        this.redirectSourceVerdict = sourceVerdict;
        return this;
    }

    /** In monitor mode, let through what enforce would deny for {@code wouldBe}. */
    public TestDecision monitoredDenial(ReasonCode wouldBe) {
        this.mode = PolicyMode.MONITOR;
        this.verdict = Verdict.ALLOW;
        this.reason = ReasonCode.MONITOR_MODE;
        this.wouldBeVerdict = Verdict.DENY;
        this.wouldBeReason = wouldBe;
        return this;
    }

    public TestDecision bytesOut(long b) {
        this.bytesOut = b;
        return this;
    }

    public TestDecision receiptScope(String s) {
        this.receiptScope = s;
        return this;
    }

    public Decision build() {
        Decision.Builder d = Decision.newBuilder().setDecisionId("d-" + id).setTime(time.plusMillis(5)).setJobId(job)
                .setAgentId(agent).setVerdict(verdict).setReason(reason).setWpcHash(WPC).setCstScopeHash(SCOPE)
                .setTokenId("cst-" + job).setMode(mode).setWouldBeVerdict(wouldBeVerdict).setWouldBeReason(wouldBeReason)
                .setRedirectSourceVerdict(redirectSourceVerdict).setSidecarMismatch(mismatch);
        if (receipt) {
            d.setInput(GatewayReceipt.newBuilder().setReceiptId(id).setTime(time).setAgentId(agent).setJobId(job)
                    .setProvider("openrouter").setModelId("openai/gpt-4o-mini").setRequestSha256("aa".repeat(32))
                    .setResponseSha256("bb".repeat(32)).setCstScopeHash(receiptScope).setGatewayKeyId("k")
                    .setSignature(ByteBuffer.allocate(0)).build());
        } else {
            d.setInput(EgressEvent.newBuilder().setEventId(id).setTime(time).setAgentId(agent).setJobId(job)
                    .setSidecarId("envoy-1").setUrl(url).setHost(host).setBytesOut(bytesOut).setSidecarVerdict(sidecar)
                    .setRedirectFrom(redirectFrom).build());
        }
        return d.build();
    }
}
