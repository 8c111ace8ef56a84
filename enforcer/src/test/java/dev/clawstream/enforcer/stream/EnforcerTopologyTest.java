package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
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

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class EnforcerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final EnforcerTopics TOPICS = EnforcerTopics.withPrefix("t.");
    private static final Signer PUBLISHER = Keys.generate();
    private static final Signer ISSUER = Keys.generate();
    private static final Signer GATEWAY = Keys.generate();
    private static final String V1 = """
            {"name": "triage", "version": "1", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
             "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]}}""";
    private static final String V2 = V1.replace("\"version\": \"1\"", "\"version\": \"2\"")
            .replace("\"ports\": [443]}]", "\"ports\": [443]}, \"pypi.org\"]");

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final CstIssuer issuer = new CstIssuer(ISSUER, Clock.fixed(T0, ZoneOffset.UTC));
    private TopologyTestDriver driver;
    private TestInputTopic<String, WpcRecord> wpcs;
    private TestInputTopic<String, CstRecord> tokens;
    private TestInputTopic<String, JobEvent> jobs;
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
        jobs = driver.createInputTopic(TOPICS.jobsLifecycle(), s, AvroSerdes.specific(JobEvent.class, registry, true).serializer());
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
    void decidesEveryEventUnderTheJobsWpcAndFollowsAHotSwap() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(named("triage")));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/v1/chat", null));
        events.pipeInput("job-1", event("e-2", "https://pypi.org/simple/", null));
        WpcRecord v2 = publish(V2, PUBLISHER, T0.plusSeconds(10));
        events.pipeInput("job-1", event("e-3", "https://pypi.org/simple/", null));

        List<Decision> out = decisions.readValuesToList();
        assertThat(out).extracting(Decision::getDecisionId).containsExactly("d-e-1", "d-e-2", "d-e-3");
        assertThat(out).extracting(Decision::getReason)
                .containsExactly(ReasonCode.ALLOWED_DOMAIN, ReasonCode.DEFAULT_DENY, ReasonCode.ALLOWED_DOMAIN);
        assertThat(out).extracting(Decision::getWpcHash)
                .containsExactly(v1.getWpcHash(), v1.getWpcHash(), v2.getWpcHash());
        assertThat(decisions.isEmpty()).isTrue();
    }

    @Test
    void aForgedWpcIsNeverUsedAndAPinnedJobKeepsItsHash() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(pinned(v1.getWpcHash())));
        publish(V2, Keys.generate(), T0.plusSeconds(10));
        tokens.pipeInput("job-2", CstRecords.toRecord(named("triage")));

        events.pipeInput("job-1", event("e-1", "https://pypi.org/", null));
        events.pipeInput("job-2", event("e-2", "https://pypi.org/", null));

        List<Decision> out = decisions.readValuesToList();
        assertThat(out.get(0).getReason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(out.get(0).getWpcHash()).isEqualTo(v1.getWpcHash());
        // The forged v2 was refused, so the latest verified "triage" is still v1.
        assertThat(out.get(1).getWpcHash()).isEqualTo(v1.getWpcHash());
    }

    @Test
    void revocationAndClosingTakeEffectMidJob() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        Cst token = pinned(v1.getWpcHash());
        tokens.pipeInput("job-1", CstRecords.toRecord(token));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/", null));
        tokens.pipeInput("job-1", CstRecords.toRecord(issuer.revoke(token)));
        events.pipeInput("job-1", event("e-2", "https://api.openai.com/", null));
        // Replaying the token as it was before the revocation must not bring the job back.
        tokens.pipeInput("job-1", CstRecords.toRecord(token));
        events.pipeInput("job-1", event("e-2b", "https://api.openai.com/", null));
        tokens.pipeInput("job-2", CstRecords.toRecord(issuer.issue("job-2", "agent-1", "{}", List.of(
                dev.clawstream.enforcer.canonical.Sha256Hash.parse(v1.getWpcHash())), Optional.empty(), List.of(),
                Duration.ofHours(1))));
        jobs.pipeInput("job-2", JobEvent.newBuilder().setJobId("job-2").setType(JobEventType.CLOSED).setTime(T0).build());
        events.pipeInput("job-2", EgressEvent.newBuilder(event("e-3", "https://api.openai.com/", Verdict.ALLOW)).setJobId("job-2").build());
        events.pipeInput("job-3", EgressEvent.newBuilder(event("e-4", "https://api.openai.com/", null)).setJobId("job-3").build());

        assertThat(decisions.readValuesToList()).extracting(Decision::getReason).containsExactly(
                ReasonCode.ALLOWED_DOMAIN, ReasonCode.CST_REVOKED, ReasonCode.CST_REVOKED, ReasonCode.JOB_CLOSED,
                ReasonCode.NO_CST);
    }

    @Test
    void aDecisionCarriesTheTokenOnlyWhenTheJobsTokenChanged() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        Cst token = pinned(v1.getWpcHash());
        Cst revoked = issuer.revoke(token);
        tokens.pipeInput("job-1", CstRecords.toRecord(token));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/", null));
        receipts.pipeInput("job-1", receipt(token, "openai/gpt-4o-mini"));
        events.pipeInput("job-1", event("e-2", "https://api.openai.com/", null));
        tokens.pipeInput("job-1", CstRecords.toRecord(revoked));
        events.pipeInput("job-1", event("e-3", "https://api.openai.com/", null));
        events.pipeInput("job-1", event("e-4", "https://api.openai.com/", null));
        events.pipeInput("job-3", EgressEvent.newBuilder(event("e-5", "https://api.openai.com/", null)).setJobId("job-3").build());

        // The first decision under each version, whichever input stream it came from; the token exactly as issued.
        assertThat(decisions.readValuesToList()).extracting(Decision::getCst).containsExactly(
                CstRecords.toRecord(token), null, null, CstRecords.toRecord(revoked), null, null);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicAndTheStreamGoesOn() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(pinned(v1.getWpcHash())));
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(TOPICS.egressEvents(), Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        raw.pipeInput("job-1", "{\"url\":\"https://attacker.com\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        events.pipeInput("job-1", event("e-2", "https://api.openai.com/", null));

        TestOutputTopic<String, dev.clawstream.schemas.DeadLetter> deadLetters = driver.createOutputTopic("t.deadletter",
                Serdes.String().deserializer(), AvroSerdes.specific(dev.clawstream.schemas.DeadLetter.class, registry, true)
                        .deserializer());
        var letter = deadLetters.readValue();
        assertThat(letter.getSourceTopic()).isEqualTo(TOPICS.egressEvents());
        assertThat(letter.getSourceOffset()).isZero();
        assertThat(letter.getError()).contains("looks like JSON");
        assertThat(letter.getStage()).isEqualTo("enforcer");
        assertThat(new String(letter.getRawValue().array(), java.nio.charset.StandardCharsets.UTF_8)).contains("attacker.com");
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(decisions.readValuesToList()).extracting(Decision::getDecisionId).containsExactly("d-e-2");
    }

    @Test
    void receiptsAreVerifiedAndDecided() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        Cst token = pinned(v1.getWpcHash());
        tokens.pipeInput("job-1", CstRecords.toRecord(token));
        GatewayReceipt good = ReceiptSignature.sign(GATEWAY, receipt(token, "openai/gpt-4o-mini"));
        receipts.pipeInput("job-1", good);
        receipts.pipeInput("job-1", GatewayReceipt.newBuilder(good).setModelId("openai/gpt-4o").build());

        assertThat(decisions.readValuesToList()).extracting(Decision::getReason)
                .containsExactly(ReasonCode.ALLOWED_MODEL, ReasonCode.RECEIPT_SIGNATURE_INVALID);
    }

    @Test
    void anExpiredTokenDeniesTheJobsLaterEvents() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(issuer.issue("job-1", "agent-1", "{}",
                List.of(dev.clawstream.enforcer.canonical.Sha256Hash.parse(v1.getWpcHash())), Optional.empty(), List.of(),
                Duration.ofMinutes(1))));
        events.pipeInput("job-1", event("e-1", "https://api.openai.com/", null));
        // Decided at the event's own time, so a replay of the same events decides the same way.
        events.pipeInput("job-1", EgressEvent.newBuilder(event("e-2", "https://api.openai.com/", null))
                .setTime(T0.plus(Duration.ofMinutes(1))).build());

        assertThat(decisions.readValuesToList()).extracting(Decision::getReason)
                .containsExactly(ReasonCode.ALLOWED_DOMAIN, ReasonCode.CST_EXPIRED);
    }

    @Test
    void aSidecarThatAllowedWhatPolicyDeniesIsFlagged() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        tokens.pipeInput("job-1", CstRecords.toRecord(pinned(v1.getWpcHash())));
        events.pipeInput("job-1", event("e-1", "https://attacker.com/collect", Verdict.ALLOW));
        events.pipeInput("job-1", event("e-2", "https://attacker.com/collect", Verdict.DENY));
        events.pipeInput("job-1", event("e-3", "https://api.openai.com/", Verdict.ALLOW));

        assertThat(decisions.readValuesToList()).extracting(Decision::getSidecarMismatch).containsExactly(true, false, false);
    }

    @Test
    void aReceiptUnderAnotherTokensScopeOrAnUnknownGatewayKeyIsNotEvidence() {
        WpcRecord v1 = publish(V1, PUBLISHER, T0);
        Cst token = pinned(v1.getWpcHash());
        tokens.pipeInput("job-1", CstRecords.toRecord(token));
        GatewayReceipt otherScope = GatewayReceipt.newBuilder(receipt(token, "openai/gpt-4o-mini"))
                .setCstScopeHash("sha256:" + "0".repeat(64)).build();
        receipts.pipeInput("job-1", ReceiptSignature.sign(GATEWAY, otherScope));
        receipts.pipeInput("job-1", ReceiptSignature.sign(Keys.generate(), receipt(token, "openai/gpt-4o-mini")));

        assertThat(decisions.readValuesToList()).extracting(Decision::getReason)
                .containsExactly(ReasonCode.RECEIPT_SCOPE_MISMATCH, ReasonCode.RECEIPT_KEY_UNKNOWN);
    }

    private WpcRecord publish(String json, Signer publisher, Instant at) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(json, "wpc.json");
        WpcSignature signature = WpcSignature.sign(publisher, valid.document());
        WpcRecord record = WpcRecords.toRecord(valid, signature, at);
        wpcs.pipeInput(record.getWpcHash(), record, at);
        return record;
    }

    private Cst pinned(String hash) {
        return issuer.issue("job-1", "agent-1", "{}", List.of(dev.clawstream.enforcer.canonical.Sha256Hash.parse(hash)),
                Optional.empty(), List.of(), Duration.ofHours(1));
    }

    private Cst named(String name) {
        return issuer.issue("job-1", "agent-1", "{}", List.of(), Optional.of(name), List.of(), Duration.ofHours(1));
    }

    private static EgressEvent event(String id, String url, Verdict sidecar) {
        return EgressEvent.newBuilder().setEventId(id).setTime(T0.plusSeconds(1)).setAgentId("agent-1").setJobId("job-1")
                .setSidecarId("envoy").setUrl(url).setSidecarVerdict(sidecar).build();
    }

    private static GatewayReceipt receipt(Cst token, String model) {
        return GatewayReceipt.newBuilder().setReceiptId("r-" + model).setTime(T0.plusSeconds(2)).setAgentId("agent-1")
                .setJobId("job-1").setProvider("openrouter").setModelId(model).setRequestSha256("aa")
                .setResponseSha256("bb").setCstScopeHash(token.scopeHash().toString()).setGatewayKeyId("")
                .setSignature(ByteBuffer.allocate(0)).build();
    }
}
