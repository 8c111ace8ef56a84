package dev.clawstream.schemas.json;

import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.SampleRecords;
import dev.clawstream.schemas.catalog.ClawTopic;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroJsonTest {

    private static final String EVENT = "{\"event_id\":\"e-1\",\"time\":\"2026-11-22T10:15:30.123Z\",\"agent_id\":\"a\","
            + "\"job_id\":\"j\",\"sidecar_id\":\"s\"";

    @ParameterizedTest
    @EnumSource(value = ClawTopic.class, names = "EGRESS_EVENTS_JSON", mode = EnumSource.Mode.EXCLUDE)
    void everyRecordTypeRoundTripsThroughNaturalJson(ClawTopic topic) throws Exception {
        SpecificRecord original = SampleRecords.of(topic);

        String json = AvroJson.toJsonLine(original);

        assertThat(AvroJson.fromJson(json, original.getClass())).isEqualTo(original);
    }

    @Test
    void decisionWithAReceiptInputPicksTheReceiptBranch() throws Exception {
        Decision decision = Decision.newBuilder((Decision) SampleRecords.of(ClawTopic.EGRESS_DECISIONS))
                .setInput(SampleRecords.receipt()).build();

        Decision back = AvroJson.fromJson(AvroJson.toJsonLine(decision), Decision.class);

        assertThat(back.getInput()).isInstanceOf(GatewayReceipt.class).isEqualTo(decision.getInput());
    }

    @Test
    void writesNaturalJsonNotAvrosEncoding() {
        String json = AvroJson.toJsonLine(SampleRecords.egressEvent());

        assertThat(json).contains("\"time\":\"2026-11-22T10:15:30.123Z\"")
                .contains("\"port\":443")
                .contains("\"sidecar_verdict\":\"ALLOW\"")
                .contains("\"redirect_from\":null")
                .doesNotContain("{\"string\"").doesNotContain("{\"int\"");
    }

    @Test
    void absentFieldsTakeTheirDefaultsAndEpochMillisAreAccepted() throws Exception {
        EgressEvent event = AvroJson.fromJson("{\"event_id\":\"e\",\"time\":1795000000000,\"agent_id\":\"a\","
                + "\"job_id\":\"j\",\"sidecar_id\":\"s\"}", EgressEvent.class);

        assertThat(event.getTime()).isEqualTo(Instant.ofEpochMilli(1795000000000L));
        assertThat(event.getBytesOut()).isZero();
        assertThat(event.getPort()).isNull();
        assertThat(event.getAttributes()).isEmpty();
    }

    @Test
    void timestampsWithAnOffsetAreConvertedToUtc() throws Exception {
        EgressEvent event = AvroJson.fromJson(EVENT.replace("2026-11-22T10:15:30.123Z", "2026-11-22T11:15:30+01:00")
                + "}", EgressEvent.class);
        assertThat(event.getTime()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
    }

    @Test
    void everyProblemIsReportedWithItsPath() {
        String json = "{\"event_id\":7,\"time\":\"yesterday\",\"agent_id\":\"a\",\"sidecar_id\":\"s\","
                + "\"port\":\"https\",\"prot\":443,\"sidecar_verdict\":\"MAYBE\",\"bytes_out\":1.5,"
                + "\"attributes\":{\"k\":1}}";

        assertThatThrownBy(() -> AvroJson.fromJson(json, EgressEvent.getClassSchema()))
                .isInstanceOfSatisfying(AvroJsonException.class, e -> assertThat(e.errors()).extracting(Object::toString)
                        .containsExactlyInAnyOrder(
                                "$.prot: unknown field; EgressEvent has event_id, time, agent_id, job_id, sidecar_id, "
                                        + "url, host, port, resolved_ip, method, tool, bytes_out, bytes_in, "
                                        + "sidecar_verdict, sidecar_policy_hash, redirect_from, attributes",
                                "$.event_id: expected a string, got number 7",
                                "$.time: expected an ISO-8601 timestamp like 2026-11-22T10:15:30Z, got \"yesterday\"",
                                "$.job_id: missing required field",
                                "$.port: expected an int, got string \"https\"",
                                "$.bytes_out: expected a long, got number 1.5",
                                "$.sidecar_verdict: expected one of [ALLOW, DENY], got string \"MAYBE\"",
                                "$.attributes.k: expected a string, got number 1"));
    }

    @Test
    void anIntOutOfRangeIsRefused() {
        assertThatThrownBy(() -> AvroJson.fromJson(EVENT + ",\"port\":2147483648}", EgressEvent.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessage("$.port: 2147483648 is out of range for an int");
    }

    @Test
    void badBase64IsRefused() {
        String receipt = AvroJson.toJsonLine(SampleRecords.receipt()).replaceFirst("\"signature\":\"[^\"]*\"",
                "\"signature\":\"not base64!\"");
        assertThatThrownBy(() -> AvroJson.fromJson(receipt, GatewayReceipt.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessageStartingWith("$.signature: not base64");
    }

    @Test
    void aUnionValueThatFitsNoBranchSaysWhy() {
        String decision = AvroJson.toJsonLine(SampleRecords.of(ClawTopic.EGRESS_DECISIONS))
                .replaceFirst("\"input\":\\{", "\"input\":{\"bogus\":1,");
        assertThatThrownBy(() -> AvroJson.fromJson(decision, Decision.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessageStartingWith("$.input: matches no branch of the union: EgressEvent ($.input.bogus: unknown field");
    }

    @Test
    void malformedJsonIsReportedWithLineAndColumn() {
        assertThatThrownBy(() -> AvroJson.fromJson("{\"event_id\": \"e\",\n  oops}", EgressEvent.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessageStartingWith("$: malformed JSON at line 2, column 3");
    }

    @Test
    void aGenericRecordConvertsWithEpochMillisForTimestamps() throws Exception {
        GenericRecord record = AvroJson.fromJson(EVENT + "}", EgressEvent.getClassSchema());
        assertThat(record.get("time")).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z").toEpochMilli());
        assertThat(AvroJson.toJsonLine(record)).contains("\"time\":\"2026-11-22T10:15:30.123Z\"");
    }

    @Test
    void textOutsideTheBasicPlaneAndControlCharactersRoundTrip() throws Exception {
        EgressEvent event = EgressEvent.newBuilder(SampleRecords.egressEvent())
                .setHost("\uD83D\uDE00.\u0430pi.openai.com\u0000\n").build();

        assertThat(AvroJson.fromJson(AvroJson.toJsonLine(event), EgressEvent.class)).isEqualTo(event);
    }

    @Test
    void aKeyGivenTwiceIsRefusedRatherThanResolvedOneWayOrTheOther() {
        assertThatThrownBy(() -> AvroJson.fromJson(EVENT + ",\"url\":\"https://a.com\",\"url\":\"https://b.com\"}",
                EgressEvent.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessageContaining("Duplicate field 'url'");
    }

    @Test
    void aSecondValueAfterTheDocumentIsRefused() {
        assertThatThrownBy(() -> AvroJson.fromJson(EVENT + "} {}", EgressEvent.getClassSchema()))
                .isInstanceOf(AvroJsonException.class)
                .hasMessageStartingWith("$: malformed JSON");
    }
}
