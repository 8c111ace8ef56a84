package dev.clawstream.topology.load;

import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.Verdict;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fleet's egress, the way agents really produce it: model calls through the gateway (an egress
 * event to the provider's API and a signed gateway receipt), package-registry and code-host traffic,
 * calls to services the policy does not list, and the seeds' attack scenario — a prompt-injected
 * agent posting secrets to {@code attacker.com}, and SSRF tries at the cloud metadata address, also
 * in its decimal spelling. Deterministic for a seed, so two runs send the same traffic.
 */
public final class FleetTraffic {

    /** The fleet's policy: the seeds' egress allowlist and model allowlist, default deny. */
    public static final String WPC = """
            {"name": "fleet", "version": "1", "default": "deny",
             "allow": {"domains": [
               {"pattern": "api.openai.com", "ports": [443]},
               {"pattern": "api.anthropic.com", "ports": [443]},
               {"pattern": "*.openrouter.ai", "ports": [443]},
               {"pattern": "github.com", "ports": [443]},
               {"pattern": "*.githubusercontent.com", "ports": [443]},
               {"pattern": "registry.npmjs.org", "ports": [443]},
               {"pattern": "pypi.org", "ports": [443]},
               {"pattern": "files.pythonhosted.org", "ports": [443]}]},
             "deny": {"ip_cidrs": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32"]},
             "allowed": {"providers": ["openai", "anthropic"],
                         "models": ["openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5"]}}""";

    /** One job of the fleet: its id, its agent, and its token's scope hash (receipts must carry it). */
    public record FleetJob(String jobId, String agentId, String scopeHash) {
    }

    /** What share of actions is which kind (out of 1000). */
    enum Action {
        MODEL_CALL(150), PACKAGES(450), CODE_HOST(170), UNLISTED_SERVICE(200), EXFILTRATION(15), METADATA_SSRF(15);

        final int perMille;

        Action(int perMille) {
            this.perMille = perMille;
        }
    }

    private static final List<String> PACKAGE_URLS = List.of(
            "https://pypi.org/simple/requests/", "https://files.pythonhosted.org/packages/requests-2.32.3.tar.gz",
            "https://registry.npmjs.org/left-pad", "https://registry.npmjs.org/@types%2fnode");
    private static final List<String> CODE_URLS = List.of(
            "https://github.com/apache/kafka.git/info/refs", "https://raw.githubusercontent.com/apache/kafka/trunk/README.md",
            "https://objects.githubusercontent.com/release-assets/1");
    private static final List<String> UNLISTED_URLS = List.of(
            "https://api.slack.com/api/chat.postMessage", "https://hooks.slack.com/services/T0/B0/X",
            "https://pastebin.com/api/api_post.php", "https://api.stripe.com/v1/charges",
            "https://huggingface.co/api/models", "https://www.google-analytics.com/collect");
    private static final List<String> SSRF_URLS = List.of(
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://2852039166/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/");
    private static final HexFormat HEX = HexFormat.of();

    private final List<FleetJob> jobs;
    private final Signer gateway;
    private final SplittableRandom random;
    private final String idPrefix;
    private long sequence;

    public FleetTraffic(List<FleetJob> jobs, Signer gateway, long seed, String idPrefix) {
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one job");
        }
        this.jobs = List.copyOf(jobs);
        this.gateway = gateway;
        this.random = new SplittableRandom(seed);
        this.idPrefix = idPrefix;
    }

    /** The records one agent action produces at {@code now}: an egress event, and for a model call its receipt. */
    public List<SpecificRecord> next(Instant now) {
        FleetJob job = jobs.get(random.nextInt(jobs.size()));
        String id = idPrefix + (sequence++);
        Action action = pick();
        switch (action) {
            case MODEL_CALL: {
                boolean openai = random.nextBoolean();
                EgressEvent call = event(id, job, now, openai ? "https://api.openai.com/v1/chat/completions"
                        : "https://api.anthropic.com/v1/messages", "POST", 2_000 + random.nextInt(30_000), Verdict.ALLOW);
                GatewayReceipt receipt = GatewayReceipt.newBuilder()
                        .setReceiptId("r-" + id).setTime(now).setAgentId(job.agentId()).setJobId(job.jobId())
                        .setProvider(openai ? "openai" : "anthropic")
                        .setModelId(openai ? "gpt-4o-mini" : "claude-sonnet-4-5")
                        .setRequestSha256(randomHex()).setResponseSha256(randomHex())
                        .setInputTokens(200 + random.nextInt(4_000)).setOutputTokens(50 + random.nextInt(1_500))
                        .setCstScopeHash(job.scopeHash()).setGatewayKeyId("")
                        .setSignature(java.nio.ByteBuffer.allocate(0)).build();
                return List.of(call, ReceiptSignature.sign(gateway, receipt));
            }
            case PACKAGES:
                return List.of(event(id, job, now, pickOf(PACKAGE_URLS), "GET", 300 + random.nextInt(600), Verdict.ALLOW));
            case CODE_HOST:
                return List.of(event(id, job, now, pickOf(CODE_URLS), "GET", 300 + random.nextInt(900), Verdict.ALLOW));
            case UNLISTED_SERVICE:
                return List.of(event(id, job, now, pickOf(UNLISTED_URLS), "POST", 500 + random.nextInt(5_000), Verdict.DENY));
            case EXFILTRATION:
                // One in ten exfiltration tries slips past a misconfigured sidecar: a bypass the
                // decision's sidecar_mismatch flag must show.
                return List.of(event(id, job, now, "https://attacker.com/collect", "POST", 40_000 + random.nextInt(400_000),
                        random.nextInt(10) == 0 ? Verdict.ALLOW : Verdict.DENY));
            default:
                return List.of(event(id, job, now, pickOf(SSRF_URLS), "GET", 200, Verdict.DENY));
        }
    }

    private Action pick() {
        int roll = random.nextInt(1000);
        for (Action action : Action.values()) {
            roll -= action.perMille;
            if (roll < 0) {
                return action;
            }
        }
        return Action.PACKAGES;
    }

    private String pickOf(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private String randomHex() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return HEX.formatHex(b);
    }

    private static EgressEvent event(String id, FleetJob job, Instant now, String url, String method, long bytesOut,
                                     Verdict sidecar) {
        return EgressEvent.newBuilder().setEventId(id).setTime(now).setAgentId(job.agentId()).setJobId(job.jobId())
                .setSidecarId("envoy-" + job.agentId()).setUrl(url).setMethod(method).setBytesOut(bytesOut)
                .setSidecarVerdict(sidecar).build();
    }
}
