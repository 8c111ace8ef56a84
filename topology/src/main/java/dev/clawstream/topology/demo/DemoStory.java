package dev.clawstream.topology.demo;

import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.topology.load.FleetTraffic;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The demo's story, act by act: a small fleet doing normal work through the gateway, then the attacks
 * the seeds describe, then every job closing. Each act is the records to publish (topic, key, value),
 * built from the keys the demo generated, with real signatures.
 *
 * <p>The story happens in event time over the half hour before it is played, each act at its own
 * minute ({@link #STORY}), so that windows behave as they would in a real fleet: the shadow client's
 * calls are judged once a few minutes without a receipt have passed, and the live view's chart shows the
 * attacks spread over time. Every record carries its event time as its Kafka timestamp too, as a sidecar
 * would stamp it.
 */
public final class DemoStory {

    public static final String RESEARCH = "research-agent";
    public static final String CODING = "coding-agent";
    public static final String OPS = "ops-agent";
    public static final String SUPPORT = "support-agent";

    /** One record to publish, at its event time. */
    public record Publish(ClawTopic topic, String key, SpecificRecord value, long timestamp) {
    }

    /** How far before the demo is played the story starts, in event time. */
    static final Duration STORY = Duration.ofMinutes(31);

    /**
     * The story replays half an hour of event time in seconds, and Kafka Streams' tasks do not move in
     * step, so one task may read an act after another task's later one: the alerter playing the story
     * accepts events this late (a live fleet keeps the default, 30 seconds).
     */
    public static RuleSet alertRules(RuleSet rules) {
        return new RuleSet(rules.rules(), Duration.ofMinutes(20));
    }

    /** One act: what the progress line says and the records it publishes, built when it is played. */
    public record Act(String title, Supplier<List<Publish>> records) {
    }

    /** The job each agent runs, and the token it runs under. */
    public record DemoJob(String jobId, String agentId, Cst token) {
    }

    private final Signer gateway;
    private final StoryClock clock;
    private final WpcParseResult.Valid wpc;
    private final WpcRecord wpcRecord;
    private final CstIssuer issuer;
    private final List<DemoJob> jobs = new ArrayList<>();
    private final String runId;
    private int sequence;

    public DemoStory(Signer publisher, Signer issuerKey, Signer gateway, Clock clock, String runId) {
        this.gateway = gateway;
        this.clock = new StoryClock(clock.instant().minus(STORY));
        this.runId = runId;
        this.wpc = (WpcParseResult.Valid) WpcParser.parse(FleetTraffic.WPC, "fleet.json");
        this.wpcRecord = WpcRecords.toRecord(wpc, WpcSignature.sign(publisher, wpc.document()), this.clock.instant());
        this.issuer = new CstIssuer(issuerKey, this.clock);
    }

    public String wpcDocument() {
        return FleetTraffic.WPC;
    }

    public String wpcHash() {
        return wpcRecord.getWpcHash();
    }

    public List<DemoJob> jobs() {
        return List.copyOf(jobs);
    }

    public String jobId(String agent) {
        return agent.replace("-agent", "") + "-job-" + runId;
    }

    public List<Act> acts() {
        return List.of(
                at(0, "policy: publish the fleet WPC (the seeds' egress allowlist and model allowlist, default deny)",
                        () -> List.of(publish(ClawTopic.WPC_REGISTRY, wpcRecord.getWpcHash(), wpcRecord))),
                at(0, "tokens: issue a job-scoped token (CST) to each of 4 agents, pinned to that WPC", this::tokens),
                at(1, "normal work: model calls through the gateway (with signed receipts), packages, code", this::normalWork),
                at(4, "shadow client: support-agent calls api.openai.com directly, bypassing the gateway", this::shadowClient),
                at(6, "prompt injection: research-agent tries to POST secrets to attacker.com, 120 times", this::exfiltration),
                at(8, "SSRF: ops-agent reaches for 169.254.169.254, and its decimal spelling 2852039166", this::ssrf),
                at(9, "typosquat: coding-agent calls api.openai.co and api.anthroplc.com", this::typosquat),
                at(10, "DNS tunnel: coding-agent resolves 40 base32-shaped names under one .xyz parent", this::tunnel),
                // Long enough after the shadow client's calls that no receipt can still explain them.
                at(28, "revocation: support-agent's token is revoked mid-job; its next calls are refused", this::revocation),
                at(29, "stranger: an agent no token binds tries to reach pastebin.com", this::stranger),
                at(30, "close: every job finishes; the bundler seals each job's proof bundle", this::close));
    }

    /** An act that happens {@code minute} minutes into the story. */
    private Act at(int minute, String title, Supplier<List<Publish>> records) {
        return new Act(title, () -> {
            clock.moveTo(clock.start.plus(Duration.ofMinutes(minute)));
            return records.get();
        });
    }

    private List<Publish> tokens() {
        List<Publish> out = new ArrayList<>();
        for (String agent : List.of(RESEARCH, CODING, OPS, SUPPORT)) {
            String jobId = jobId(agent);
            Cst token = issuer.issue(jobId, agent, "{\"job\":\"" + jobId + "\",\"purpose\":\"demo\"}",
                    List.of(wpc.document().hash()), Optional.empty(), List.of(), Duration.ofHours(8));
            jobs.add(new DemoJob(jobId, agent, token));
            out.add(publish(ClawTopic.CST_BINDINGS, jobId, CstRecords.toRecord(token)));
            out.add(publish(ClawTopic.JOBS_LIFECYCLE, jobId, JobEvent.newBuilder().setJobId(jobId)
                    .setAgentId(agent).setType(JobEventType.STARTED).setTime(clock.instant()).setReason(null).build()));
        }
        return out;
    }

    private List<Publish> normalWork() {
        List<Publish> out = new ArrayList<>();
        for (DemoJob job : jobs) {
            for (int i = 0; i < 3; i++) {
                out.addAll(modelCall(job, i % 2 == 0));
            }
            out.add(event(job, "https://pypi.org/simple/requests/", "GET", 420, Verdict.ALLOW));
            out.add(event(job, "https://registry.npmjs.org/left-pad", "GET", 380, Verdict.ALLOW));
            out.add(event(job, "https://github.com/apache/kafka.git/info/refs", "GET", 610, Verdict.ALLOW));
        }
        return out;
    }

    private List<Publish> exfiltration() {
        DemoJob job = job(RESEARCH);
        List<Publish> out = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // One try in twenty slips past a misconfigured sidecar: the decision flags the mismatch.
            out.add(event(job, "https://attacker.com/collect?chunk=" + i, "POST", 48_000 + i * 97L,
                    i % 20 == 7 ? Verdict.ALLOW : Verdict.DENY));
        }
        return out;
    }

    private List<Publish> ssrf() {
        DemoJob job = job(OPS);
        return List.of(
                event(job, "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "GET", 180, Verdict.DENY),
                event(job, "http://2852039166/latest/meta-data/", "GET", 180, Verdict.DENY),
                event(job, "https://api.anthropic.com/v1/messages", "POST", 2_400, Verdict.ALLOW));
    }

    private List<Publish> typosquat() {
        DemoJob job = job(CODING);
        return List.of(event(job, "https://api.openai.co/v1/chat/completions", "POST", 6_200, Verdict.DENY),
                event(job, "https://api.anthroplc.com/v1/messages", "POST", 5_900, Verdict.DENY));
    }

    private List<Publish> tunnel() {
        DemoJob job = job(CODING);
        List<Publish> out = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String label = base32(sha256("demo-tunnel-" + runId + "-" + i)).substring(0, 48).toLowerCase(Locale.ROOT);
            out.add(event(job, "https://" + label + ".t.exfil-dns.xyz/", "GET", 120, Verdict.DENY));
        }
        return out;
    }

    private List<Publish> shadowClient() {
        DemoJob job = job(SUPPORT);
        List<Publish> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // An egress event to the provider's API and no gateway receipt for it.
            out.add(event(job, "https://api.openai.com/v1/chat/completions", "POST", 9_000 + i, Verdict.ALLOW));
        }
        return out;
    }

    private List<Publish> revocation() {
        DemoJob job = job(SUPPORT);
        Cst revoked = issuer.revoke(job.token());
        List<Publish> out = new ArrayList<>();
        out.add(publish(ClawTopic.CST_BINDINGS, job.jobId(), CstRecords.toRecord(revoked)));
        out.add(event(job, "https://pypi.org/simple/httpx/", "GET", 400, Verdict.ALLOW));
        out.addAll(modelCall(job, true));
        return out;
    }

    private List<Publish> stranger() {
        DemoJob stranger = new DemoJob("unknown-job-" + runId, "stranger-agent", null);
        return List.of(event(stranger, "https://pastebin.com/api/api_post.php", "POST", 12_000, Verdict.ALLOW));
    }

    private List<Publish> close() {
        List<Publish> out = new ArrayList<>();
        for (DemoJob job : jobs) {
            out.add(publish(ClawTopic.JOBS_LIFECYCLE, job.jobId(), JobEvent.newBuilder().setJobId(job.jobId())
                    .setAgentId(job.agentId()).setType(JobEventType.CLOSED).setTime(clock.instant())
                    .setReason("demo finished").build()));
        }
        return out;
    }

    private DemoJob job(String agent) {
        return jobs.stream().filter(j -> j.agentId().equals(agent)).findFirst()
                .orElseThrow(() -> new IllegalStateException("tokens act not played yet"));
    }

    private List<Publish> modelCall(DemoJob job, boolean openai) {
        Publish call = event(job, openai ? "https://api.openai.com/v1/chat/completions"
                : "https://api.anthropic.com/v1/messages", "POST", 3_000 + sequence * 13L, Verdict.ALLOW);
        String id = "r-" + ((EgressEvent) call.value()).getEventId();
        GatewayReceipt receipt = GatewayReceipt.newBuilder()
                .setReceiptId(id).setTime(clock.instant()).setAgentId(job.agentId()).setJobId(job.jobId())
                .setProvider(openai ? "openai" : "anthropic").setModelId(openai ? "gpt-4o-mini" : "claude-sonnet-4-5")
                .setRequestSha256(HexFormat.of().formatHex(sha256("request " + id)))
                .setResponseSha256(HexFormat.of().formatHex(sha256("response " + id)))
                .setInputTokens(800).setOutputTokens(120).setCstScopeHash(job.token().scopeHash().toString())
                .setGatewayKeyId("").setSignature(ByteBuffer.allocate(0)).build();
        return List.of(call, publish(ClawTopic.GATEWAY_RECEIPTS, job.jobId(), ReceiptSignature.sign(gateway, receipt)));
    }

    private Publish event(DemoJob job, String url, String method, long bytesOut, Verdict sidecar) {
        String id = "demo-" + runId + "-" + (sequence++);
        EgressEvent event = EgressEvent.newBuilder().setEventId(id).setTime(clock.instant()).setAgentId(job.agentId())
                .setJobId(job.jobId()).setSidecarId("envoy-" + job.agentId()).setUrl(url).setMethod(method)
                .setBytesOut(bytesOut).setSidecarVerdict(sidecar).build();
        return publish(ClawTopic.EGRESS_EVENTS, job.jobId(), event);
    }

    private Publish publish(ClawTopic topic, String key, SpecificRecord value) {
        return new Publish(topic, key, value, clock.millis());
    }

    /**
     * The story's event time: set to each act's minute, then one millisecond further on each reading, so
     * the records of an act are in order.
     */
    private static final class StoryClock extends Clock {
        private final Instant start;
        private Instant now;

        StoryClock(Instant start) {
            this.start = start;
            this.now = start;
        }

        void moveTo(Instant t) {
            now = t.isAfter(now) ? t : now;
        }

        @Override
        public Instant instant() {
            now = now.plusMillis(1);
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the story clock is UTC");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32(byte[] bytes) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return out.toString();
    }
}
