package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.DeadLetter;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class WpcAuditTopologyTest {

    private static final EnforcerTopics TOPICS = EnforcerTopics.withPrefix("t.");
    private static final Signer PUBLISHER = Keys.generate();
    private static final String WPC = """
            {"name": "triage", "version": "1", "default": "deny", "allow": {"domains": ["pypi.org"]}}""";

    @TempDir
    Path stateDir;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, WpcRecord> wpcs;
    private TestOutputTopic<String, DeadLetter> deadLetters;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        WpcAuditTopology.buildInto(builder, TOPICS, registry, TrustedKeys.of(List.of(PUBLISHER.verifier())));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "wpc-audit-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, "t.deadletter");
        props.put(DeadLetterHandler.STAGE_CONFIG, "enforcer-wpc-audit");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        driver = new TopologyTestDriver(builder.build(), props);
        wpcs = driver.createInputTopic(TOPICS.wpcRegistry(), Serdes.String().serializer(),
                AvroSerdes.specific(WpcRecord.class, registry, true).serializer());
        deadLetters = driver.createOutputTopic("t.deadletter", Serdes.String().deserializer(),
                AvroSerdes.specific(DeadLetter.class, registry, true).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aVerifiedWpcIsNotDeadLettered() {
        WpcRecord good = signed(PUBLISHER);
        wpcs.pipeInput(good.getWpcHash(), good);
        wpcs.pipeInput(good.getWpcHash(), null);
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aWpcSignedByAnUntrustedKeyIsDeadLetteredWithTheReason() {
        WpcRecord forged = signed(Keys.generate());
        wpcs.pipeInput(forged.getWpcHash(), forged);

        DeadLetter letter = deadLetters.readValue();
        assertThat(letter.getSourceTopic()).isEqualTo(TOPICS.wpcRegistry());
        assertThat(letter.getError()).contains(forged.getWpcHash()).contains("signature");
        assertThat(letter.getStage()).isEqualTo("enforcer-wpc-audit");
        assertThat(new String(letter.getRawKey().array(), StandardCharsets.UTF_8)).isEqualTo(forged.getWpcHash());
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void aWpcFiledUnderAnotherHashIsDeadLettered() {
        WpcRecord good = signed(PUBLISHER);
        String otherHash = "sha256:" + "0".repeat(64);
        wpcs.pipeInput(otherHash, good);
        assertThat(deadLetters.readValue().getError()).contains("key " + otherHash);
    }

    @Test
    void aRecordWhoseNameDisagreesWithItsDocumentIsDeadLettered() {
        WpcRecord renamed = WpcRecord.newBuilder(signed(PUBLISHER)).setName("production").build();
        wpcs.pipeInput(renamed.getWpcHash(), renamed);
        assertThat(deadLetters.readValue().getError()).contains("named 'triage'");
    }

    private static WpcRecord signed(Signer publisher) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(WPC, "wpc.json");
        WpcSignature signature = WpcSignature.sign(publisher, valid.document());
        return WpcRecords.toRecord(valid, signature, Instant.EPOCH);
    }
}
