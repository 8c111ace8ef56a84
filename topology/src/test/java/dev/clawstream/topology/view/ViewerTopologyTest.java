package dev.clawstream.topology.view;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.DeadLetterHandler;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ViewerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final ViewerTopics TOPICS = ViewerTopics.withPrefix("v.");
    private static final Signer PUBLISHER = Keys.generate();

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final List<Alert> fed = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ProofBundle> pulse;
    private TestInputTopic<String, Decision> decisions;
    private TestInputTopic<String, WpcRecord> wpcs;
    private TestInputTopic<String, Alert> alerts;
    private TestInputTopic<byte[], byte[]> deadletters;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        ViewerTopology.buildInto(builder, TOPICS, registry, TrustedKeys.of(List.of(PUBLISHER.verifier())),
                Duration.ofDays(1), fed::add);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "viewer-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, TOPICS.deadletter());
        props.put(DeadLetterHandler.STAGE_CONFIG, "viewer");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        driver = new TopologyTestDriver(builder.build(), props, T0);
        var keys = Serdes.String().serializer();
        pulse = driver.createInputTopic(TOPICS.trustPulse(), keys, AvroSerdes.specific(ProofBundle.class, registry, true).serializer());
        decisions = driver.createInputTopic(TOPICS.decisions(), keys, AvroSerdes.specific(Decision.class, registry, true).serializer());
        wpcs = driver.createInputTopic(TOPICS.wpcRegistry(), keys, AvroSerdes.specific(WpcRecord.class, registry, true).serializer());
        alerts = driver.createInputTopic(TOPICS.alerts(), keys, AvroSerdes.specific(Alert.class, registry, true).serializer());
        deadletters = driver.createInputTopic(TOPICS.deadletter(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aJobIsSummedOverItsSegmentsEachCountedOnceWhateverTheirOrder() {
        pulse.pipeInput("job-1#1", bundle("job-1", 1, true, "DENY", "DENY"));
        pulse.pipeInput("job-1#0", bundle("job-1", 0, false, "ALLOW", "DENY"));
        pulse.pipeInput("job-1#0", bundle("job-1", 0, false, "ALLOW", "DENY")); // compacted topic re-read

        KeyValueStore<String, JobSummary> jobs = driver.getKeyValueStore(ViewerTopology.PULSE_JOBS);
        JobSummary job = jobs.get("job-1");
        assertThat(job.segments()).extracting(BundleSummary::segmentIndex).containsExactly(0, 1);
        assertThat(job.allowed()).isEqualTo(1);
        assertThat(job.denied()).isEqualTo(3);
        assertThat(job.receipts()).isEqualTo(2);
        assertThat(job.closed()).isTrue();
        assertThat(job.agentId()).isEqualTo("agent-1");
        assertThat(job.wpcHash()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(job.firstTime()).isEqualTo(T0);
        KeyValueStore<String, ProofBundle> bundles = driver.getKeyValueStore(ViewerTopology.PULSE_BUNDLES);
        assertThat(bundles.get(ViewerTopology.bundleKey("job-1", 1)).getFinalSegment()).isTrue();
    }

    @Test
    void aFullBundleOnTheTrustPulseTopicIsNeverServedButDeadLettered() {
        ProofBundle full = ProofBundle.newBuilder(bundle("job-2", 0, true, "ALLOW")).setRedacted(false).build();
        pulse.pipeInput("job-2#0", full);

        assertThat(driver.<String, ProofBundle>getKeyValueStore(ViewerTopology.PULSE_BUNDLES).get(
                ViewerTopology.bundleKey("job-2", 0))).isNull();
        var dead = driver.createOutputTopic(TOPICS.deadletter(), Serdes.String().deserializer(),
                AvroSerdes.specific(DeadLetter.class, registry, true).deserializer()).readValue();
        assertThat(dead.getError()).contains("redacted bundles only");
        // The viewer reads the dead-letter topic too, and counts its own.
        assertThat(driver.<String, Long>getKeyValueStore(ViewerTopology.DEADLETTERS).get("viewer")).isEqualTo(1L);
    }

    @Test
    void decisionsAreCountedPerAgentMinuteAndPerDestinationHour() {
        decisions.pipeInput("job-1", decision("agent-1", "https://attacker.com/x", Verdict.DENY, null, T0.plusSeconds(5)));
        decisions.pipeInput("job-1", decision("agent-1", "https://attacker.com/y", Verdict.DENY, null, T0.plusSeconds(50)));
        decisions.pipeInput("job-1", decision("agent-1", "https://pypi.org/simple", Verdict.ALLOW, Verdict.DENY, T0.plusSeconds(70)));
        decisions.pipeInput("job-1", receiptDecision("agent-1", T0.plusSeconds(71)));

        WindowStore<String, TrafficCounts> minutes = driver.getWindowStore(ViewerTopology.AGENT_MINUTES);
        assertThat(minutes.fetch("agent-1", T0.toEpochMilli())).isEqualTo(new TrafficCounts(2, 0, 2, 0, 200, 0));
        assertThat(minutes.fetch("agent-1", T0.plusSeconds(60).toEpochMilli()))
                .isEqualTo(new TrafficCounts(2, 2, 0, 1, 100, 1));

        WindowStore<String, DestinationStats> hours = driver.getWindowStore(ViewerTopology.DESTINATION_HOURS);
        List<KeyValue<Windowed<String>, DestinationStats>> all = new ArrayList<>();
        hours.all().forEachRemaining(all::add);
        assertThat(all).hasSize(2).allSatisfy(kv -> assertThat(kv.key.window().start()).isEqualTo(T0.toEpochMilli()));
        DestinationStats attacker = all.stream().map(kv -> kv.value)
                .filter(d -> d.destination().contains("attacker.com")).findFirst().orElseThrow();
        assertThat(attacker.denied()).isEqualTo(2);
        assertThat(attacker.denyReasons()).containsEntry("DEFAULT_DENY", 2L);
        assertThat(attacker.firstSeen()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
        assertThat(attacker.lastSeen()).isEqualTo(T0.plusSeconds(50).toEpochMilli());
        DestinationStats monitored = all.stream().map(kv -> kv.value)
                .filter(d -> d.destination().contains("pypi.org")).findFirst().orElseThrow();
        assertThat(monitored.allowed()).isEqualTo(1);
        assertThat(monitored.wouldDeny()).as("allowed in monitor mode, would be denied").isEqualTo(1);
    }

    @Test
    void onlyWpcsFromTrustedPublishersAreShown() {
        WpcRecord trusted = wpc(PUBLISHER, "fleet");
        WpcRecord forged = wpc(Keys.generate(), "fleet-forged");
        wpcs.pipeInput(trusted.getWpcHash(), trusted);
        wpcs.pipeInput(forged.getWpcHash(), forged);

        KeyValueStore<String, WpcRecord> store = driver.getKeyValueStore(ViewerTopology.WPCS);
        assertThat(store.get(trusted.getWpcHash())).isEqualTo(trusted);
        assertThat(store.get(forged.getWpcHash())).isNull();
    }

    @Test
    void alertsAreKeptNewestFirstAndFedToTheLiveView() {
        for (int i = 0; i < ViewerTopology.RECENT_ALERTS_KEPT + 60; i++) {
            alerts.pipeInput("agent-1", alert("a-" + i, T0.plusSeconds(i)));
        }
        assertThat(fed).hasSize(ViewerTopology.RECENT_ALERTS_KEPT + 60);
        KeyValueStore<String, Alert> recent = driver.getKeyValueStore(ViewerTopology.RECENT_ALERTS);
        List<String> kept = new ArrayList<>();
        recent.all().forEachRemaining(kv -> kept.add(kv.value.getAlertId()));
        assertThat(kept).hasSizeLessThanOrEqualTo(ViewerTopology.RECENT_ALERTS_KEPT + ViewerTopology.RECENT_ALERTS_KEPT / 4)
                .contains("a-" + (ViewerTopology.RECENT_ALERTS_KEPT + 59)).doesNotContain("a-0");
    }

    @Test
    void deadLettersAreCountedByStageAndUnreadableOnesStillCounted() {
        var serializer = AvroSerdes.specific(DeadLetter.class, registry, true).serializer();
        DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("v.egress.events").setSourcePartition(0)
                .setSourceOffset(7).setRawKey(null).setRawValue(ByteBuffer.wrap(new byte[]{1})).setError("bad")
                .setExceptionClass("X").setStage("enforcer").setTime(T0).build();
        deadletters.pipeInput(null, serializer.serialize(TOPICS.deadletter(), letter));
        deadletters.pipeInput(null, new byte[]{42, 42});

        KeyValueStore<String, Long> counts = driver.getKeyValueStore(ViewerTopology.DEADLETTERS);
        assertThat(counts.get("enforcer")).isEqualTo(1L);
        assertThat(counts.get("unreadable")).isEqualTo(1L);
    }

    private static ProofBundle bundle(String job, int segment, boolean last, String... verdicts) {
        StringBuilder entries = new StringBuilder();
        int index = 0;
        if (segment == 0) {
            entries.append("{\"index\":0,\"entry\":{\"kind\":\"header\",\"agent_id\":\"agent-1\",\"wpc_hash\":\"sha256:")
                    .append("ab".repeat(32)).append("\",\"started_at\":\"").append(T0).append("\"}},");
            index++;
        }
        for (String verdict : verdicts) {
            entries.append("{\"index\":").append(index++).append(",\"entry\":{\"kind\":\"decision\",\"decision\":{\"verdict\":\"")
                    .append(verdict).append("\",\"input\":{\"time\":\"").append(T0.plusSeconds(index)).append("\"}}}},");
        }
        entries.append("{\"index\":").append(index++).append(",\"entry\":{\"kind\":\"receipt\",\"receipt\":{\"time\":\"")
                .append(T0.plusSeconds(30)).append("\"}}}");
        String document = "{\"job_id\":\"" + job + "\",\"entries\":[" + entries + "]}";
        return ProofBundle.newBuilder().setJobId(job).setSegmentIndex(segment).setFinalSegment(last)
                .setEntryCount(index).setChainHead("sha256:00").setMerkleRoot("sha256:00").setBundlerKeyId("k")
                .setSealedAt(T0.plusSeconds(60)).setSealReason(last ? SealReason.JOB_CLOSED : SealReason.SEGMENT_FULL)
                .setRedacted(true).setBundle(document).setSeal("seal").build();
    }

    private static Decision decision(String agent, String url, Verdict verdict, Verdict wouldBe, Instant at) {
        EgressEvent event = EgressEvent.newBuilder().setEventId("e-" + at.toEpochMilli()).setTime(at).setAgentId(agent)
                .setJobId("job-1").setSidecarId("envoy").setUrl(url).setBytesOut(100).build();
        return Decision.newBuilder().setDecisionId("d-" + at.toEpochMilli()).setTime(at).setJobId("job-1").setAgentId(agent)
                .setInput(event).setVerdict(verdict).setReason(verdict == Verdict.ALLOW && wouldBe == null
                        ? ReasonCode.ALLOWED_DOMAIN : ReasonCode.DEFAULT_DENY)
                .setMode(wouldBe == null ? PolicyMode.ENFORCE : PolicyMode.MONITOR).setWouldBeVerdict(wouldBe).build();
    }

    private static Decision receiptDecision(String agent, Instant at) {
        GatewayReceipt receipt = GatewayReceipt.newBuilder().setReceiptId("r-1").setTime(at).setAgentId(agent)
                .setJobId("job-1").setProvider("openai").setModelId("gpt-4o-mini").setRequestSha256("aa")
                .setResponseSha256("bb").setInputTokens(1).setOutputTokens(1).setCstScopeHash("sha256:00")
                .setGatewayKeyId("k").setSignature(ByteBuffer.allocate(0)).build();
        return Decision.newBuilder().setDecisionId("d-r").setTime(at).setJobId("job-1").setAgentId(agent)
                .setInput(receipt).setVerdict(Verdict.ALLOW).setReason(ReasonCode.ALLOWED_MODEL).build();
    }

    private static WpcRecord wpc(Signer signer, String name) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(
                "{\"name\": \"" + name + "\", \"version\": \"1\", \"default\": \"deny\"}", name + ".json");
        return WpcRecords.toRecord(valid, WpcSignature.sign(signer, valid.document()), T0);
    }

    private static Alert alert(String id, Instant at) {
        return Alert.newBuilder().setAlertId(id).setTime(at).setKind(AlertKind.BLOCKED_SPIKE).setSeverity(Severity.HIGH)
                .setRuleName("r").setAgentId("agent-1").setWindowStart(at).setWindowEnd(at).setCount(1)
                .setDedupeKey(id).build();
    }
}
