package dev.clawstream.benchmarks;

import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyDecision;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Decisions per second on one core for a realistic mix: 70 % allowed API and registry hosts, 30 %
 * denied (exfiltration, typosquats, metadata), a tenth of all destinations IP literals.
 * {@code fromUrl} includes parsing and canonicalising the raw URL string; {@code preParsed} starts from
 * a canonical destination; {@code layeredPreParsed} decides the same mix under three layers (the WPC
 * above as the organisation's, a workload class and an agent layer narrowing it). Run: {@code taskset -c 1 java -jar benchmarks/target/benchmarks.jar PolicyEngine}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PolicyEngineBenchmark {

    private static final String WPC = """
            {"name": "fleet", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]},
                                   {"pattern": "api.anthropic.com", "ports": [443]},
                                   {"pattern": "openrouter.ai", "ports": [443]},
                                   {"pattern": "*.github.com", "ports": [443]},
                                   {"pattern": "*.githubusercontent.com", "ports": [443]},
                                   "registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "proxy.golang.org"],
                       "ip_cidrs": [{"cidr": "140.82.112.0/20", "ports": [443]}]},
             "deny": {"ip_cidrs": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}
            """;

    private static final String[] ALLOWED = {
            "https://api.openai.com/v1/chat/completions", "https://api.anthropic.com/v1/messages",
            "https://openrouter.ai/api/v1/chat/completions", "https://api.github.com/repos/org/repo/pulls",
            "https://raw.githubusercontent.com/org/repo/main/README.md", "https://registry.npmjs.org/left-pad",
            "https://pypi.org/simple/requests/", "https://files.pythonhosted.org/packages/ab/cd/x.whl",
            "https://proxy.golang.org/golang.org/x/net/@v/list"};
    private static final String[] DENIED = {
            "https://attacker.com/collect", "https://api.openai.com.evil.xyz/v1", "https://gist.github.io/x",
            "https://аpi.openai.com/v1", "http://api.openai.com/v1", "https://paste.example.net/upload"};
    private static final String[] ALLOWED_IPS = {"https://140.82.113.3/", "https://140.82.114.4/"};
    private static final String[] DENIED_IPS = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.7:8080/",
            "http://2130706433/", "https://[::ffff:192.168.1.1]/"};

    private CompiledPolicy policy;
    private CompiledPolicy layered;
    private String[] urls;
    private ParsedDestination[] parsed;
    private int next;

    @Setup
    public void prepare() {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(WPC, "fleet.json");
        policy = CompiledPolicy.compile(valid.wpc(), valid.document().hash());
        CompiledPolicy workloadClass = compile("""
                {"name": "coders", "default": "deny", "extends": ["%s"],
                 "allow": {"domains": ["api.openai.com", "api.anthropic.com", "*.github.com", "*.githubusercontent.com",
                                       "registry.npmjs.org", "pypi.org", "files.pythonhosted.org"],
                           "ip_cidrs": [{"cidr": "140.82.112.0/20", "ports": [443]}]}}""".formatted(policy.hash()));
        CompiledPolicy agent = compile("""
                {"name": "coder-7", "default": "deny", "extends": ["%s"],
                 "allow": {"domains": ["api.openai.com", "*.github.com", "*.githubusercontent.com", "pypi.org",
                                       "files.pythonhosted.org"], "ip_cidrs": ["140.82.112.0/20"]},
                 "deny": {"domains": ["gist.github.com"]}}""".formatted(workloadClass.hash()));
        layered = CompiledPolicy.layered(List.of(policy, workloadClass, agent));
        List<String> mix = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            boolean ip = i % 10 == 0;
            boolean allowed = random.nextInt(100) < 70;
            String[] pool = ip ? (allowed ? ALLOWED_IPS : DENIED_IPS) : (allowed ? ALLOWED : DENIED);
            mix.add(pool[random.nextInt(pool.length)]);
        }
        Collections.shuffle(mix, random);
        urls = mix.toArray(String[]::new);
        parsed = mix.stream().map(DestinationParser::parseUrl).toArray(ParsedDestination[]::new);
    }

    @Benchmark
    public PolicyDecision fromUrl() {
        int i = next++ % urls.length;
        return policy.decideEgress(DestinationParser.parseUrl(urls[i]), Optional.empty(), Optional.empty());
    }

    @Benchmark
    public PolicyDecision preParsed() {
        int i = next++ % parsed.length;
        return policy.decideEgress(parsed[i], Optional.empty(), Optional.empty());
    }

    @Benchmark
    public PolicyDecision layeredPreParsed() {
        int i = next++ % parsed.length;
        return layered.decideEgress(parsed[i], Optional.empty(), Optional.empty());
    }

    private static CompiledPolicy compile(String json) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(json, "layer.json");
        return CompiledPolicy.compile(valid.wpc(), valid.document().hash());
    }
}
