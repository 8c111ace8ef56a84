package dev.clawstream.benchmarks;

import dev.clawstream.enforcer.policy.CidrRuleSet;
import dev.clawstream.enforcer.policy.DomainRuleSet;
import dev.clawstream.enforcer.policy.EgressRule;
import dev.clawstream.enforcer.wpc.Ports;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lookups in compiled rule sets of a realistic size (a few hundred domain rules, a few dozen CIDRs),
 * for a mix of allowed and unknown hosts. Run: {@code java -jar benchmarks/target/benchmarks.jar RuleSet}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleSetBenchmark {

    private static final String[] HOSTS = {
            "api.openai.com", "api.anthropic.com", "raw.github.com", "objects.githubusercontent.com",
            "registry.npmjs.org", "pypi.org", "files.pythonhosted.org", "attacker.com",
            "a.b.c.d.github.com", "unknown-service.example.net"};

    private DomainRuleSet domains;
    private CidrRuleSet cidrs;
    private IPAddress[] addresses;
    private int next;

    @Setup
    public void compile() {
        DomainRuleSet.Builder d = DomainRuleSet.builder();
        for (int i = 0; i < 300; i++) {
            d.add("svc" + i + ".internal.example.com", false, rule("/allow/domains/" + i));
        }
        for (String host : List.of("api.openai.com", "api.anthropic.com", "registry.npmjs.org", "pypi.org",
                "files.pythonhosted.org")) {
            d.add(host, false, rule("/allow/domains/" + host));
        }
        d.add("github.com", true, rule("/allow/domains/github"));
        d.add("githubusercontent.com", true, rule("/allow/domains/ghuc"));
        domains = d.build();

        CidrRuleSet.Builder c = CidrRuleSet.builder();
        for (int i = 0; i < 40; i++) {
            c.add(new IPAddressString("198.51." + i + ".0/24").getAddress(), rule("/allow/ip_cidrs/" + i));
        }
        c.add(new IPAddressString("10.0.0.0/8").getAddress(), rule("/deny/ip_cidrs/0"));
        cidrs = c.build();
        addresses = new IPAddress[] {new IPAddressString("198.51.7.9").getAddress(),
                new IPAddressString("10.2.3.4").getAddress(), new IPAddressString("203.0.113.5").getAddress()};
    }

    @Benchmark
    public List<EgressRule> domainLookup() {
        return domains.matching(HOSTS[next++ % HOSTS.length]);
    }

    @Benchmark
    public List<EgressRule> cidrLookup() {
        return cidrs.matching(addresses[next++ % addresses.length]);
    }

    private static EgressRule rule(String pointer) {
        return new EgressRule(pointer, new Ports.Listed(List.of(443)));
    }
}
