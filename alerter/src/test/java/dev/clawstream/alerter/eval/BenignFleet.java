package dev.clawstream.alerter.eval;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Benign traffic of a fleet of agents, generated reproducibly from a seed: the hosts real agents use
 * (model APIs, package registries, code hosting, clouds, docs and search), weighted by how often an
 * agent calls them, with realistic bytes out (log-normal around each host's typical request size, and
 * the occasional large upload), a small share of policy denials (telemetry and trackers the policy
 * does not allow, with retry loops), model calls through the gateway each followed by its receipt,
 * sidecars that now and then are stricter than policy, and jobs that each hold one agent's token.
 */
final class BenignFleet {

    /** A destination agents use: how often (relative weight), how much they send, whether policy allows it. */
    record Host(String url, double weight, long typicalBytesOut, boolean allowed) {
    }

    static final List<Host> HOSTS = List.of(
            new Host("https://api.openai.com/v1/chat/completions", 12, 6_000, true),
            new Host("https://api.anthropic.com/v1/messages", 12, 8_000, true),
            new Host("https://pypi.org/simple/requests/", 6, 400, true),
            new Host("https://files.pythonhosted.org/packages/ab/cd/requests-2.32.3-py3-none-any.whl", 6, 350, true),
            new Host("https://registry.npmjs.org/express", 5, 400, true),
            new Host("https://github.com/org/repo.git/info/refs?service=git-upload-pack", 5, 600, true),
            new Host("https://objects.githubusercontent.com/github-production-release-asset/1", 3, 300, true),
            new Host("https://raw.githubusercontent.com/org/repo/main/README.md", 3, 300, true),
            new Host("https://api.github.com/repos/org/repo/pulls", 4, 2_000, true),
            new Host("https://codeload.github.com/org/repo/tar.gz/main", 1, 300, true),
            new Host("https://huggingface.co/api/models/bert-base-uncased", 1, 300, true),
            new Host("https://cdn-lfs.huggingface.co/repos/ab/cd/model.safetensors", 1, 300, true),
            new Host("https://proxy.golang.org/github.com/pkg/errors/@v/list", 1, 300, true),
            new Host("https://repo1.maven.org/maven2/org/slf4j/slf4j-api/maven-metadata.xml", 1, 300, true),
            new Host("https://registry-1.docker.io/v2/library/python/manifests/3.12", 1, 400, true),
            new Host("https://production.cloudflare.docker.com/registry-v2/docker/registry/v2/blobs/x", 1, 300, true),
            new Host("https://index.crates.io/se/rd/serde", 1, 300, true),
            new Host("https://storage.googleapis.com/bucket/object", 1, 2_000, true),
            new Host("https://oauth2.googleapis.com/token", 1, 900, true),
            new Host("https://login.microsoftonline.com/common/oauth2/v2.0/token", 1, 1_200, true),
            new Host("https://s3.amazonaws.com/bucket/key", 1, 20_000, true),
            new Host("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/ingest", 1, 4_000, true),
            new Host("https://k8s-default-webapi-1a2b3c4d5e-1234567890.us-east-1.elb.amazonaws.com/health", 1, 200, true),
            new Host("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/bucket/obj", 1, 5_000, true),
            new Host("https://d111111abcdef8.cloudfront.net/static/app.js", 1, 300, true),
            new Host("https://hooks.slack.com/services/T000/B000/XXXX", 1, 1_500, true),
            new Host("https://api.stripe.com/v1/charges", 1, 1_000, true),
            new Host("https://en.wikipedia.org/wiki/Kafka", 2, 300, true),
            new Host("https://stackoverflow.com/questions/123", 2, 300, true),
            new Host("https://docs.python.org/3/library/json.html", 2, 300, true),
            new Host("https://export.arxiv.org/api/query?search_query=llm", 1, 300, true),
            new Host("https://api.search.brave.com/res/v1/web/search?q=x", 2, 400, true),
            new Host("https://duckduckgo.com/html/?q=x", 1, 300, true),
            new Host("https://download.pytorch.org/whl/cu121/torch", 1, 300, true),
            new Host("https://nodejs.org/dist/index.json", 1, 300, true),
            new Host("https://deb.debian.org/debian/dists/bookworm/InRelease", 1, 300, true),
            new Host("https://dl-cdn.alpinelinux.org/alpine/v3.20/main/x86_64/APKINDEX.tar.gz", 1, 300, true),
            new Host("https://ghcr.io/v2/org/image/manifests/latest", 1, 400, true),
            new Host("https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js", 1, 300, true),
            new Host("https://requests.readthedocs.io/en/latest/", 1, 300, true),
            new Host("https://gitlab.com/api/v4/projects", 1, 800, true),
            new Host("https://api.notion.com/v1/pages", 1, 3_000, true),
            new Host("https://acme.atlassian.net/rest/api/3/issue", 1, 2_500, true),
            // Tenant ids and long service names: dense labels that are names, not data.
            new Host("https://dev-7k2j4h5g6f8d9s0a.us.auth0.com/oauth/token", 1, 900, true),
            new Host("https://my-app-7f9c2ba4e8d1.herokuapp.com/api/v1/jobs", 1, 1_500, true),
            new Host("https://feature-login-acme-team.vercel.app/api", 1, 800, true),
            new Host("https://kafka-broker-eu-west-1-prod.internal.example-corp.com/metrics", 1, 300, true),
            new Host("https://api.us5.datadoghq.com/api/v2/series", 1, 4_000, true),
            new Host("https://notion.com/api/v1/search", 0.5, 1_000, true),
            new Host("https://static.cloudflareinsights.com/beacon.min.js", 0.5, 300, true),
            // Denied by policy, and tried anyway: telemetry, trackers, a blog the policy does not list.
            new Host("https://o450000.ingest.sentry.io/api/1/envelope/", 1.5, 3_000, false),
            new Host("https://api.segment.io/v1/batch", 0.8, 2_500, false),
            new Host("https://www.google-analytics.com/g/collect", 0.5, 800, false),
            new Host("https://medium.com/@someone/post", 0.4, 300, false));

    static final List<String> PROVIDER_HOSTS = List.of("api.openai.com", "api.anthropic.com");

    final List<Decision> decisions = new ArrayList<>();
    /** job id → the agent its token binds. */
    final Map<String, String> bindings = new HashMap<>();
    final Instant start;
    final Instant end;

    /**
     * @param agents    how many agents
     * @param duration  how long
     * @param meanGap   mean time between an agent's requests
     */
    BenignFleet(long seed, String agentPrefix, int agents, Instant start, Duration duration, Duration meanGap) {
        this.start = start;
        this.end = start.plus(duration);
        Random random = new Random(seed);
        for (int a = 0; a < agents; a++) {
            agent(random, agentPrefix + a, meanGap);
        }
        decisions.sort(Comparator.comparing(d -> eventTime(d)));
    }

    static String id(Decision d) {
        return d.getInput() instanceof dev.clawstream.schemas.EgressEvent e ? e.getEventId()
                : ((dev.clawstream.schemas.GatewayReceipt) d.getInput()).getReceiptId();
    }

    static Instant eventTime(Decision d) {
        return d.getInput() instanceof dev.clawstream.schemas.EgressEvent e ? e.getTime()
                : ((dev.clawstream.schemas.GatewayReceipt) d.getInput()).getTime();
    }

    private void agent(Random random, String agent, Duration meanGap) {
        // Each agent uses the model APIs and a random part of the rest, with its own taste for each host.
        double[] weights = new double[HOSTS.size()];
        double total = 0;
        for (int h = 0; h < HOSTS.size(); h++) {
            boolean uses = h < 2 || random.nextDouble() < 0.6;
            weights[h] = uses ? HOSTS.get(h).weight() * (0.5 + random.nextDouble()) : 0;
            total += weights[h];
        }
        // One agent in ten is a data pipeline that ships tens of MB to object storage every few minutes:
        // only its own baseline can tell its normal from an exfiltration.
        double volumeScale = Math.exp(random.nextGaussian() * 0.5) * (random.nextDouble() < 0.1 ? 200 : 1);
        Duration jobLength = Duration.ofMinutes(20 + random.nextInt(40));
        Instant t = start.plusMillis((long) (random.nextDouble() * meanGap.toMillis()));
        int n = 0;
        while (t.isBefore(end)) {
            String job = agent + "-job-" + Duration.between(start, t).toMillis() / jobLength.toMillis();
            bindings.put(job, agent);
            Host host = pick(random, weights, total);
            long bytes = (long) (host.typicalBytesOut() * volumeScale * Math.exp(random.nextGaussian() * 0.6));
            if (random.nextDouble() < 0.002) {
                bytes += 1_000_000 + random.nextInt(4_000_000); // a git push, an artifact upload
            }
            String id = "ben-" + agent + "-" + n++;
            TestDecision d = TestDecision.egress(id).agent(agent).job(job).at(t).url(host.url()).bytesOut(bytes);
            if (!host.allowed()) {
                d.denied(ReasonCode.DEFAULT_DENY);
                d.sidecar(Verdict.DENY);
                int retries = random.nextDouble() < 0.05 ? 10 + random.nextInt(30) : 0;
                for (int r = 0; r < retries; r++) {
                    decisions.add(TestDecision.egress(id + "-retry-" + r).agent(agent).job(job)
                            .at(t.plusMillis(500L + r * (1000L + random.nextInt(2000)))).url(host.url()).bytesOut(bytes)
                            .denied(ReasonCode.DEFAULT_DENY).sidecar(Verdict.DENY).build());
                }
            } else {
                // A sidecar running an older, stricter policy now and then: a mismatch, not a bypass.
                d.sidecar(random.nextDouble() < 0.005 ? Verdict.DENY : Verdict.ALLOW);
            }
            decisions.add(d.build());
            String hostName = java.net.URI.create(host.url()).getHost();
            if (PROVIDER_HOSTS.contains(hostName)) {
                // The gateway made this call and signs its receipt once the response is complete.
                decisions.add(TestDecision.receipt("ben-r-" + id).agent(agent).job(job)
                        .at(t.plusMillis(200 + random.nextInt(5000))).build());
            }
            t = t.plusMillis(1 + (long) (-Math.log(1 - random.nextDouble()) * meanGap.toMillis()));
        }
    }

    private static Host pick(Random random, double[] weights, double total) {
        double x = random.nextDouble() * total;
        for (int h = 0; h < weights.length; h++) {
            x -= weights[h];
            if (x < 0) {
                return HOSTS.get(h);
            }
        }
        return HOSTS.get(0);
    }
}
