package dev.clawstream.topology.registry;

import dev.clawstream.schemas.registry.CompatibilityLevel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SchemasTopicFormatTest {

    @Test
    void confluentRecordsDecodeAndUnknownKeyTypesAreSkipped() {
        SchemasTopicFormat format = new SchemasTopicFormat();

        assertThat(format.decode(utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                utf8("{\"subject\":\"s\",\"version\":1,\"id\":7,\"schema\":\"\\\"int\\\"\",\"deleted\":false}")))
                .contains(new RegistryRecord.SchemaVersion("s", 1, 7, "\"int\"", false));
        assertThat(format.decode(utf8("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"),
                utf8("{\"compatibilityLevel\":\"FULL\"}")))
                .contains(new RegistryRecord.Config(Optional.empty(), CompatibilityLevel.FULL));
        assertThat(format.decode(utf8("{\"keytype\":\"CONFIG\",\"subject\":\"s\",\"magic\":0}"), null))
                .contains(new RegistryRecord.ConfigTombstone(Optional.of("s")));
        assertThat(format.decode(utf8("{\"keytype\":\"NOOP\",\"magic\":0}"), null)).isEmpty();
    }

    @Test
    void encodedRecordsUseConfluentsKeyLayout() {
        SchemasTopicFormat format = new SchemasTopicFormat();
        RegistryRecord record = new RegistryRecord.SchemaVersion("s", 1, 7, "\"int\"", false);

        assertThat(new String(format.key(record), StandardCharsets.UTF_8))
                .isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}");
        assertThat(format.decode(format.key(record), format.value(record))).contains(record);
        assertThat(new String(format.key(new RegistryRecord.Config(Optional.empty(), CompatibilityLevel.FULL)),
                StandardCharsets.UTF_8)).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}");
    }

    @Test
    void unreadableRecordsAreReportedWithTheirReason() {
        SchemasTopicFormat format = new SchemasTopicFormat();

        assertThatIllegalArgumentException().isThrownBy(() -> format.decode(utf8("not json"), null))
                .withMessageContaining("key is not JSON");
        assertThatIllegalArgumentException().isThrownBy(() -> format.decode(
                        utf8("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":1,\"magic\":1}"),
                        utf8("{\"subject\":\"s\",\"version\":1,\"schema\":\"\\\"int\\\"\"}")))
                .withMessageContaining("'id'");
        assertThatIllegalArgumentException().isThrownBy(() -> format.decode(
                        utf8("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}"),
                        utf8("{\"compatibilityLevel\":\"SIDEWAYS\"}")))
                .withMessageContaining("SIDEWAYS");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
