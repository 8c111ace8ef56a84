package dev.clawstream.enforcer.stream;

import dev.clawstream.schemas.DeadLetter;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.registry.InMemorySchemaRegistry;
import dev.clawstream.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class JsonIngestTopologyTest {

    /** An Envoy access log line with json_format mapping Envoy's fields onto the event's (see README). */
    private static final String ENVOY = """
            {"event_id":"8d6c3a1e-0d5b-4f7e-9a43-2f0b1c9e7d11","time":"2026-11-22T10:15:30.123Z",\
            "agent_id":"agent-1","job_id":"job-1","sidecar_id":"envoy-7","url":"https://api.openai.com/v1/chat",\
            "resolved_ip":"162.159.140.245","method":"POST","bytes_out":4096,"bytes_in":812,"sidecar_verdict":"ALLOW",\
            "attributes":{"response_flags":"-","upstream_cluster":"openai"}}""";

    @TempDir
    Path stateDir;

    @Test
    void validJsonBecomesAnAvroEventKeyedByJobAndBadJsonIsDeadLettered() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        StreamsBuilder builder = new StreamsBuilder();
        JsonIngestTopology.buildInto(builder, "t.egress.events.json", "t.egress.events", registry);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ingest-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(DeadLetterHandler.TOPIC_CONFIG, "t.deadletter");
        props.put(DeadLetterHandler.STAGE_CONFIG, "ingest");
        props.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> json = driver.createInputTopic("t.egress.events.json",
                    Serdes.String().serializer(), Serdes.String().serializer());
            var events = driver.createOutputTopic("t.egress.events", Serdes.String().deserializer(),
                    AvroSerdes.specific(EgressEvent.class, registry, true).deserializer());
            var deadLetters = driver.createOutputTopic("t.deadletter", Serdes.String().deserializer(),
                    AvroSerdes.specific(DeadLetter.class, registry, true).deserializer());

            json.pipeInput("envoy-7", ENVOY);
            json.pipeInput("envoy-7", "{\"event_id\":\"x\",\"port\":\"https\"}");
            json.pipeInput("envoy-7", ENVOY.replace("8d6c3a1e", "9e7d").replace("job-1", "job-2"));

            TestRecord<String, EgressEvent> first = events.readRecord();
            assertThat(first.key()).isEqualTo("job-1");
            assertThat(first.value().getTime()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
            assertThat(first.value().getAttributes()).containsEntry("upstream_cluster", "openai");
            assertThat(events.readRecord().key()).isEqualTo("job-2");
            assertThat(events.isEmpty()).isTrue();
            DeadLetter letter = deadLetters.readValue();
            assertThat(letter.getError()).contains("$.port: expected an int, got string \"https\"")
                    .contains("$.job_id: missing required field");
            assertThat(new String(letter.getRawValue().array(), StandardCharsets.UTF_8)).contains("\"port\":\"https\"");
            assertThat(letter.getStage()).isEqualTo("ingest");
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }
}
