package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.policy.CompiledPolicy;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy lifecycle through the enforcer topology: discovery in monitor mode, layered policies
 * (and a missing layer failing closed), attestation-bound rules, redirects.
 */
class PolicyLifecycleTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final EnforcerTopics TOPICS = EnforcerTopics.withPrefix("t.");
    private static final Signer PUBLISHER = Keys.generate();
    private static final Signer ISSUER = Keys.generate();
    private static final Signer GATEWAY = Keys.generate();
    private static final String ORG = """
            {"name": "org", "default": "deny",
             "allow": {"domains": ["api.openai.com", "proxy.golang.org", "pkg.go.dev", "pypi.org"]},
             "deny": {"domains": ["paste.example.net"]}}""";
    private static final String AGENT = """
            {"name": "builder", "default": "deny", "extends": ["%s"],
             "allow": {"domains": ["api.openai.com", "proxy.golang.org", "attacker.com",
                                   {"pattern": "pkg.go.dev", "requires_attestation": "needs_go_packages"}]}}""";
    private static final String DISCOVERY = """
            {"name": "discovery", "default": "deny", "mode": "monitor",
             "allow": {"domains": ["api.openai.com"]}, "deny": {"domains": ["paste.example.net"]}}""";

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final CstIssuer issuer = new CstIssuer(ISSUER, Clock.fixed(T0, ZoneOffset.UTC));
    private TopologyTestDriver driver;
    private TestInputTopic<String, WpcRecord> wpcs;
    private TestInputTopic<String, CstRecord> tokens;
    private TestInputTopic<String, EgressEvent> events;
    private TestInputTopic<String, GatewayReceipt> receipts;
    private TestOutputTopic<String, Decision> decisions;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        EnforcerTopology.buildInto(builder, TOPICS, registry, new EnforcerKeys(TrustedKeys.of(List.of(PUBLISHER.verifier())),
                TrustedKeys.of(List.of(ISSUER.verifier())), TrustedKeys.of(List.of(GATEWAY.verifier()))),
                Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "enforcer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, "t.deadletter");
        props.put(DeadLetterHandler.STAGE_CONFIG, "enforcer");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        driver = new TopologyTestDriver(builder.build(), props);
        var s = Serdes.String().serializer();
        wpcs = driver.createInputTopic(TOPICS.wpcRegistry(), s, AvroSerdes.specific(WpcRecord.class, registry, true).serializer());
        tokens = driver.createInputTopic(TOPICS.cstBindings(), s, AvroSerdes.specific(CstRecord.class, registry, true).serializer());
        events = driver.createInputTopic(TOPICS.egressEvents(), s, AvroSerdes.specific(EgressEvent.class, registry, true).serializer());
        receipts = driver.createInputTopic(TOPICS.gatewayReceipts(), s,
                AvroSerdes.specific(GatewayReceipt.class, registry, true).serializer());
        decisions = driver.createOutputTopic(TOPICS.decisions(), Serdes.String().deserializer(),
                AvroSerdes.specific(Decision.class, registry, true).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void monitorModeRecordsWhatItWouldDenyAndStillBlocksExplicitDenials() {
        WpcRecord wpc = publish(DISCOVERY, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(token(wpc.getWpcHash(), List.of())));
        events.pipeInput("job-1", event("e-1", "https://registry.npmjs.org/left-pad", Verdict.ALLOW));
        events.pipeInput("job-1", event("e-2", "https://paste.example.net/upload", null));
        events.pipeInput("job-1", event("e-3", "https://api.openai.com/v1", null));

        List<Decision> out = decisions.readValuesToList();
        assertThat(out).extracting(Decision::getVerdict).containsExactly(Verdict.ALLOW, Verdict.DENY, Verdict.ALLOW);
        assertThat(out).extracting(Decision::getReason)
                .containsExactly(ReasonCode.MONITOR_MODE, ReasonCode.DENIED_DOMAIN, ReasonCode.ALLOWED_DOMAIN);
        assertThat(out).extracting(Decision::getWouldBeVerdict).containsExactly(Verdict.DENY, Verdict.DENY, Verdict.ALLOW);
        assertThat(out).extracting(Decision::getWouldBeReason)
                .containsExactly(ReasonCode.DEFAULT_DENY, ReasonCode.DENIED_DOMAIN, ReasonCode.ALLOWED_DOMAIN);
        assertThat(out).extracting(Decision::getMode).containsOnly(PolicyMode.MONITOR);
        // The sidecar let through what enforce would deny: still flagged for the alerter.
        assertThat(out.get(0).getSidecarMismatch()).isTrue();
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void monitorModeNeverExcusesABadToken() {
        WpcRecord wpc = publish(DISCOVERY, PUBLISHER, T0);
        Cst token = token(wpc.getWpcHash(), List.of());
        tokens.pipeInput("job-1", CstRecords.toRecord(issuer.revoke(token)));
        events.pipeInput("job-1", event("e-1", "https://registry.npmjs.org/", null));

        Decision d = decisions.readValue();
        assertThat(d.getVerdict()).isEqualTo(Verdict.DENY);
        assertThat(d.getReason()).isEqualTo(ReasonCode.CST_REVOKED);
        assertThat(d.getMode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(d.getWouldBeVerdict()).isNull();
    }

    @Test
    void aLayeredJobIsDecidedUnderEveryLayerAndRecordsThem() {
        WpcRecord org = publish(ORG, PUBLISHER, T0);
        WpcRecord agent = publish(AGENT.formatted(org.getWpcHash()), PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(token(agent.getWpcHash(), List.of())));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/v1", null));
        events.pipeInput("job-1", event("e-2", "https://attacker.com/", null));
        events.pipeInput("job-1", event("e-3", "https://pypi.org/", null));

        List<Decision> out = decisions.readValuesToList();
        assertThat(out).extracting(Decision::getReason)
                .containsExactly(ReasonCode.ALLOWED_DOMAIN, ReasonCode.DEFAULT_DENY, ReasonCode.DEFAULT_DENY);
        assertThat(out.get(1).getDetail()).contains("attacker.com");
        List<String> layers = List.of(org.getWpcHash(), agent.getWpcHash());
        String effective = CompiledPolicy.effectiveHash(layers.stream().map(Sha256Hash::parse).toList()).toString();
        for (Decision d : out) {
            assertThat(d.getWpcHash()).isEqualTo(agent.getWpcHash());
            assertThat(d.getWpcLayerHashes()).containsExactlyElementsOf(layers);
            assertThat(d.getPolicyHash()).isEqualTo(effective);
        }
        assertThat(out.get(0).getMatchedRule()).isEqualTo(agent.getWpcHash() + "#/allow/domains/0");
    }

    @Test
    void aMissingLayerDeniesEverythingUntilItIsPublished() {
        String orgHash = WpcParser.parse(ORG, "org.json") instanceof WpcParseResult.Valid v
                ? v.document().hash().toString() : "";
        WpcRecord agent = publish(AGENT.formatted(orgHash), PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(token(agent.getWpcHash(), List.of())));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/v1", null));
        publish(ORG, Keys.generate(), T0);
        events.pipeInput("job-1", event("e-2", "https://api.openai.com/v1", null));
        publish(ORG, PUBLISHER, T0);
        events.pipeInput("job-1", event("e-3", "https://api.openai.com/v1", null));

        List<Decision> out = decisions.readValuesToList();
        // Unknown, then forged (refused by the catalog, so still unknown), then published and verified.
        assertThat(out).extracting(Decision::getReason).containsExactly(ReasonCode.WPC_LAYER_MISSING,
                ReasonCode.WPC_LAYER_MISSING, ReasonCode.ALLOWED_DOMAIN);
        assertThat(out.get(0).getVerdict()).isEqualTo(Verdict.DENY);
        assertThat(out.get(0).getDetail()).contains(orgHash);
        assertThat(out.get(0).getWpcHash()).isEqualTo(agent.getWpcHash());
    }

    @Test
    void anAttestationBoundRuleExistsOnlyForAttestedJobs() {
        WpcRecord org = publish(ORG, PUBLISHER, T0);
        WpcRecord agent = publish(AGENT.formatted(org.getWpcHash()), PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(token(agent.getWpcHash(), List.of("needs_go_packages"))));
        tokens.pipeInput("job-2", CstRecords.toRecord(token("job-2", agent.getWpcHash(), List.of())));
        events.pipeInput("job-1", event("e-1", "https://pkg.go.dev/net/http", null));
        events.pipeInput("job-2", EgressEvent.newBuilder(event("e-2", "https://pkg.go.dev/net/http", null))
                .setJobId("job-2").build());

        List<Decision> out = decisions.readValuesToList();
        assertThat(out).extracting(Decision::getVerdict).containsExactly(Verdict.ALLOW, Verdict.DENY);
        assertThat(out.get(0).getMatchedRule()).isEqualTo(agent.getWpcHash() + "#/allow/domains/3");
        assertThat(out.get(0).getAttestations()).containsExactly("needs_go_packages");
        assertThat(out.get(1).getReason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(out.get(1).getAttestations()).isEmpty();
    }

    @Test
    void aRedirectTargetIsDecidedOnItsOwnAndTheSourceVerdictIsRecorded() {
        WpcRecord org = publish(ORG, PUBLISHER, T0);
        WpcRecord agent = publish(AGENT.formatted(org.getWpcHash()), PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(token(agent.getWpcHash(), List.of())));
        events.pipeInput("job-1", EgressEvent.newBuilder(event("e-1", "https://cdn.unknown-mirror.net/pkg.zip", null))
                .setRedirectFrom("https://proxy.golang.org/golang.org/x/net/@v/v0.1.0.zip").build());
        events.pipeInput("job-1", EgressEvent.newBuilder(event("e-2", "https://api.openai.com/v1", null))
                .setRedirectFrom("https://paste.example.net/r").build());
        events.pipeInput("job-1", event("e-3", "https://api.openai.com/v1", null));

        List<Decision> out = decisions.readValuesToList();
        // A trusted source does not make its target trusted.
        assertThat(out).extracting(Decision::getVerdict).containsExactly(Verdict.DENY, Verdict.ALLOW, Verdict.ALLOW);
        assertThat(out).extracting(Decision::getRedirectSourceVerdict).containsExactly(Verdict.ALLOW, Verdict.DENY, null);
        assertThat(((EgressEvent) out.get(0).getInput()).getRedirectFrom()).startsWith("https://proxy.golang.org/");
    }

    private WpcRecord publish(String json, Signer publisher, Instant at) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(json, "wpc.json");
        WpcSignature signature = WpcSignature.sign(publisher, valid.document());
        WpcRecord record = WpcRecords.toRecord(valid, signature, at);
        wpcs.pipeInput(record.getWpcHash(), record, at);
        return record;
    }

    private Cst token(String hash, List<String> attestations) {
        return token("job-1", hash, attestations);
    }

    private Cst token(String job, String hash, List<String> attestations) {
        return issuer.issue(job, "agent-1", "{}", List.of(Sha256Hash.parse(hash)), Optional.empty(), attestations,
                Duration.ofHours(1));
    }

    private static EgressEvent event(String id, String url, Verdict sidecar) {
        return EgressEvent.newBuilder().setEventId(id).setTime(T0.plusSeconds(1)).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy").setUrl(url).setSidecarVerdict(sidecar).build();
    }
}
