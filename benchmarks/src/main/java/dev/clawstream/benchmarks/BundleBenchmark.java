package dev.clawstream.benchmarks;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.BundleState;
import dev.clawstream.bundler.BundleVerifier;
import dev.clawstream.bundler.DocumentEntry;
import dev.clawstream.bundler.SealerConfig;
import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.Header;
import dev.clawstream.bundler.chain.Redaction;
import dev.clawstream.bundler.chain.SaltSource;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstCheck;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.decision.Enforcer;
import dev.clawstream.enforcer.decision.JobContext;
import dev.clawstream.enforcer.decision.WpcCatalog;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.policy.PolicyEngine;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.SealReason;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Proof bundles on one core, per entry: {@code appendDecisions} is the bundler's per-record work
 * (redaction commitments, canonical JSON, chain link, Merkle frontier); {@code chainLinks} the chain
 * alone over canonical bytes already made; {@code verifyDocument} the offline verifier from the
 * document's JSON text (parse, canonicalise, chain, tree, commitments, one signature) for a bundle of
 * {@value #ENTRIES} decisions. Run: {@code taskset -c 1 java -jar benchmarks/target/benchmarks.jar Bundle}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BundleBenchmark {

    static final int ENTRIES = 10_000;
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private final List<Decision> decisions = new ArrayList<>();
    private final List<byte[]> canonical = new ArrayList<>();
    private BundleSealer sealer;
    private BundleState started;
    private Redaction redaction;
    private BundleVerifier verifier;
    private String document;

    @Setup
    public void setUp() {
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse("""
                {"name": "fleet", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}, "pypi.org"]},
                 "deny": {"ip_cidrs": ["10.0.0.0/8"]}}""", "wpc.json");
        CompiledPolicy policy = CompiledPolicy.compile(wpc.wpc(), wpc.document().hash());
        Signer issuer = Keys.generate();
        Cst token = new CstIssuer(issuer, Clock.fixed(T0, ZoneOffset.UTC)).issue("job-1", "agent-1", "{}",
                List.of(policy.hash()), Optional.empty(), List.of(), Duration.ofHours(1));
        WpcCatalog catalog = new WpcCatalog() {
            public Optional<CompiledPolicy> byHash(dev.clawstream.enforcer.canonical.Sha256Hash h) {
                return Optional.of(policy);
            }

            public Optional<CompiledPolicy> latestByName(String name) {
                return Optional.of(policy);
            }
        };
        Enforcer enforcer = new Enforcer(new PolicyEngine(new CstCheck(TrustedKeys.of(List.of(issuer.verifier())))),
                catalog, TrustedKeys.none(), Clock.fixed(T0, ZoneOffset.UTC));
        String[] urls = {"https://api.openai.com/v1/chat/completions", "https://pypi.org/simple/requests/",
                "https://attacker.example/collect?d=", "http://10.1.2.3/admin"};
        for (int i = 0; i < ENTRIES; i++) {
            EgressEvent e = EgressEvent.newBuilder().setEventId("e-" + i).setTime(T0).setAgentId("agent-1")
                    .setJobId("job-1").setSidecarId("envoy-1").setUrl(urls[i % urls.length] + i).setMethod("GET")
                    .setBytesOut(512).setBytesIn(2048).build();
            decisions.add(enforcer.decide(e, new JobContext(Optional.of(token), false)));
        }
        Signer bundler = Keys.generate();
        sealer = new BundleSealer(bundler, new SealerConfig("clawstream/bundles", 1_000_000, Duration.ofDays(1),
                Long.MAX_VALUE, Duration.ofDays(1)));
        redaction = Redaction.destinations(SaltSource.secure());
        Header header = Header.fromDecision(decisions.get(0));
        BundleSealer.Appended a = sealer.start(header, T0);
        started = a.state();
        List<DocumentEntry> entries = new ArrayList<>(List.of(a.entry()));
        BundleState state = started;
        for (Decision d : decisions) {
            BundleSealer.Appended next = sealer.append(state, Entry.decision(d, redaction), T0);
            state = next.state();
            entries.add(next.entry());
            canonical.add(next.entry().entry().canonicalBytes());
        }
        BundleDocument doc = sealer.close(state, entries, List.of(), SealReason.JOB_CLOSED, Optional.empty(), T0).full();
        document = doc.toJson();
        verifier = BundleVerifier.forKey(bundler.verifier());
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public BundleState appendDecisions() {
        BundleState state = started;
        for (Decision d : decisions) {
            state = sealer.append(state, Entry.decision(d, redaction), T0).state();
        }
        return state;
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public byte[] chainLinks() {
        byte[] head = ChainHash.genesis("job-1");
        for (byte[] c : canonical) {
            head = ChainHash.next(head, c);
        }
        return head;
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public int verifyDocument() throws VerificationException {
        verifier.verify(document);
        return document.length();
    }
}
