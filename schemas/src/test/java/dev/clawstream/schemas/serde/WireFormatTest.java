package dev.clawstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatTest {

    @Test
    void headerIsMagicZeroThenBigEndianId() {
        assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void schemaIdReadsBackTheHeader() {
        byte[] framed = {0, 0, 0, 1, 7, 42};
        assertThat(WireFormat.schemaId(framed)).isEqualTo(263);
    }

    @Test
    void refusesAValueShorterThanTheHeader() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("3 bytes is too short");
    }

    @Test
    void refusesJsonAndSaysItLooksLikeJson() {
        assertThatThrownBy(() -> WireFormat.schemaId("{\"a\":1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown magic byte 0x7b: not Confluent-framed Avro (it looks like JSON)");
    }

    @Test
    void subjectsFollowTopicNameStrategy() {
        assertThat(SubjectNames.valueSubject("clawstream.alerts")).isEqualTo("clawstream.alerts-value");
        assertThat(SubjectNames.keySubject("clawstream.alerts")).isEqualTo("clawstream.alerts-key");
    }
}
