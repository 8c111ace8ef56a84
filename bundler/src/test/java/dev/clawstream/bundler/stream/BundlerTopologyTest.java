package dev.clawstream.bundler.stream;

import dev.clawstream.bundler.BundleDocument;
import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.BundleVerifier;
import dev.clawstream.bundler.SealerConfig;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.DeadLetterHandler;
import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.JobEvent;
import dev.clawstream.schemas.JobEventType;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class BundlerTopologyTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final BundlerTopics TOPICS = BundlerTopics.withPrefix("t.");
    private static final Signer BUNDLER = Keys.generate();
    private static final Duration IDLE = Duration.ofMinutes(30);

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, Decision> decisions;
    private TestInputTopic<String, JobEvent> jobs;
    private TestOutputTopic<String, ProofBundle> bundles;
    private TestOutputTopic<String, ProofBundle> trustPulse;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    private void start(long maxSegmentBytes) {
        StreamsBuilder builder = new StreamsBuilder();
        SealerConfig config = new SealerConfig("test/bundles", 10_000, Duration.ofMinutes(1), maxSegmentBytes, IDLE);
        BundlerTopology.buildInto(builder, TOPICS, registry, new BundleSealer(BUNDLER, config), TrustedKeys.none(),
                Clock.fixed(T0, ZoneOffset.UTC));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bundler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, "t.deadletter");
        props.put(DeadLetterHandler.STAGE_CONFIG, "bundler");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        driver = new TopologyTestDriver(builder.build(), props, T0);
        var keys = Serdes.String();
        decisions = driver.createInputTopic(TOPICS.decisions(), keys.serializer(),
                AvroSerdes.specific(Decision.class, registry, true).serializer());
        jobs = driver.createInputTopic(TOPICS.jobsLifecycle(), keys.serializer(),
                AvroSerdes.specific(JobEvent.class, registry, true).serializer());
        var bundleSerde = AvroSerdes.specific(ProofBundle.class, registry, true);
        bundles = driver.createOutputTopic(TOPICS.proofBundles(), keys.deserializer(), bundleSerde.deserializer());
        trustPulse = driver.createOutputTopic(TOPICS.trustPulse(), keys.deserializer(), bundleSerde.deserializer());
        deadLetters = driver.createOutputTopic("t.deadletter", keys.deserializer(),
                AvroSerdes.specific(DeadLetter.class, registry, true).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aClosedJobIsSealedInFullAndRedactedAndBothVerifyAgainstTheSameKey() throws Exception {
        start(SealerConfig.defaults().maxSegmentBytes());
        for (int i = 0; i < 3; i++) {
            decisions.pipeInput("job-1", decision("job-1", i));
        }
        close("job-1");

        KeyValue<String, ProofBundle> full = bundles.readKeyValue();
        KeyValue<String, ProofBundle> redacted = trustPulse.readKeyValue();
        assertThat(full.key).isEqualTo("job-1#0");
        assertThat(redacted.key).isEqualTo("job-1#0");
        assertThat(full.value.getSealReason()).isEqualTo(SealReason.JOB_CLOSED);
        assertThat(full.value.getEntryCount()).isEqualTo(5); // header, 3 decisions, close
        assertThat(redacted.value.getRedacted()).isTrue();
        assertThat(redacted.value.getBundle()).doesNotContain("attacker.com");
        assertThat(full.value.getBundle()).contains("attacker.com");
        BundleVerifier verifier = BundleVerifier.forKey(BUNDLER.verifier());
        verifier.verify(full.value.getBundle());
        verifier.verify(redacted.value.getBundle());
        assertThat(bundles.isEmpty()).isTrue();
        assertThat(trustPulse.isEmpty()).isTrue();
    }

    @Test
    void aLargeJobIsCutIntoSegmentsThatChainIntoOneVerifiableBundle() throws Exception {
        start(16 * 1024);
        for (int i = 0; i < 120; i++) {
            decisions.pipeInput("job-1", decision("job-1", i));
        }
        close("job-1");

        List<ProofBundle> segments = bundles.readValuesToList();
        assertThat(segments).hasSizeGreaterThan(2);
        assertThat(segments).extracting(ProofBundle::getSegmentIndex)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, segments.size()).boxed().toList());
        assertThat(segments).extracting(ProofBundle::getFinalSegment).containsOnlyOnce(true);
        assertThat(segments.get(segments.size() - 1).getFinalSegment()).isTrue();
        List<BundleDocument> documents = new ArrayList<>();
        for (ProofBundle segment : segments) {
            assertThat(segment.getBundle().length()).isLessThan(16 * 1024 + 4096);
            documents.add(BundleDocument.parse(segment.getBundle()));
        }
        BundleVerifier.forKey(BUNDLER.verifier()).verifySegments(documents);
    }

    @Test
    void aDecisionAfterTheSealIsDeadLetteredNotDropped() {
        start(SealerConfig.defaults().maxSegmentBytes());
        decisions.pipeInput("job-1", decision("job-1", 0));
        close("job-1");
        decisions.pipeInput("job-1", decision("job-1", 1));

        assertThat(bundles.readValuesToList()).hasSize(1);
        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getSourceTopic()).isEqualTo(TOPICS.decisions());
        assertThat(letter.getError()).contains("job job-1 is already sealed").contains("d-1");
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aCloseThatOvertakesItsJobsLastDecisionsWaitsForThem() throws Exception {
        start(SealerConfig.defaults().maxSegmentBytes());
        decisions.pipeInput("job-1", decision("job-1", 0), T0);
        // The runtime's close is read before the enforcer has emitted the job's last decision.
        closeEvent("job-1", T0.plusSeconds(5));
        decisions.pipeInput("job-1", decision("job-1", 1), T0.plusMillis(1));
        assertThat(bundles.isEmpty()).as("no seal while the job's decisions may still come").isTrue();

        driver.advanceWallClockTime(BundlerTopology.DEFAULT_CLOSE_GRACE.plus(BundlerTopology.CLOSE_CHECK_EVERY));
        ProofBundle sealed = bundles.readValue();
        assertThat(sealed.getEntryCount()).isEqualTo(4); // header, both decisions, close
        assertThat(sealed.getSealReason()).isEqualTo(SealReason.JOB_CLOSED);
        assertThat(deadLetters.isEmpty()).isTrue();
        BundleVerifier.forKey(BUNDLER.verifier()).verify(sealed.getBundle());
    }

    @Test
    void aLaterDecisionInThePartitionSealsAClosedJobWithoutWaiting() throws Exception {
        start(SealerConfig.defaults().maxSegmentBytes());
        decisions.pipeInput("job-1", decision("job-1", 0), T0);
        closeEvent("job-1", T0.plusSeconds(5));
        assertThat(bundles.isEmpty()).isTrue();
        // Another job's decision stamped after the close: this partition's decisions have passed it.
        decisions.pipeInput("job-2", decision("job-2", 6_000), T0.plusSeconds(6));

        ProofBundle sealed = bundles.readValue();
        assertThat(sealed.getJobId()).isEqualTo("job-1");
        assertThat(sealed.getEntryCount()).isEqualTo(3); // header, decision, close
        assertThat(bundles.isEmpty()).as("job-2 is still open").isTrue();
    }

    @Test
    void aQuietJobIsSealedWhenItsIdleTimeoutPassesOnTheWallClock() throws Exception {
        start(SealerConfig.defaults().maxSegmentBytes());
        decisions.pipeInput("job-1", decision("job-1", 0));
        driver.advanceWallClockTime(IDLE.minusSeconds(20));
        assertThat(bundles.isEmpty()).isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(30));
        ProofBundle sealed = bundles.readValue();
        assertThat(sealed.getSealReason()).isEqualTo(SealReason.IDLE_TIMEOUT);
        BundleVerifier.forKey(BUNDLER.verifier()).verify(sealed.getBundle());
    }

    /** A close, and the wall-clock grace going by with nothing else arriving: the job seals. */
    private void close(String job) {
        closeEvent(job, T0.plusSeconds(5));
        driver.advanceWallClockTime(BundlerTopology.DEFAULT_CLOSE_GRACE.plus(BundlerTopology.CLOSE_CHECK_EVERY));
    }

    private void closeEvent(String job, Instant at) {
        jobs.pipeInput(job, JobEvent.newBuilder().setJobId(job).setType(JobEventType.CLOSED).setTime(at)
                .setReason("done").build(), at);
    }

    private static Decision decision(String job, int i) {
        Instant t = T0.plusMillis(i);
        return Decision.newBuilder().setDecisionId("d-" + i).setTime(t).setJobId(job).setAgentId("agent-1")
                .setInput(EgressEvent.newBuilder().setEventId("e-" + i).setTime(t).setAgentId("agent-1").setJobId(job)
                        .setSidecarId("envoy").setUrl("https://attacker.com/collect/" + i).build())
                .setVerdict(Verdict.DENY).setReason(ReasonCode.DEFAULT_DENY).setDetail("attacker.com is not allowed")
                .build();
    }
}
