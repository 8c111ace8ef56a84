package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/wpc.schema.json and docs/wpc.md describe the fields the parser knows, no more and no fewer. */
class WpcSchemaTest {

    // Surefire runs in the module directory; the specs live at the repository root.
    private static final Path DOCS = Path.of("..", "docs");
    private static final Path TEST_RESOURCES = Path.of("src", "test", "resources");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void schemaListsExactlyTheTopLevelFieldsTheParserKnows() throws IOException {
        JsonNode schema = schema();

        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(fieldNames(schema.path("properties"))).containsExactlyInAnyOrderElementsOf(WpcParser.TOP_LEVEL_FIELDS);
    }

    @Test
    void schemaListsTheNestedFieldsTheParserKnows() throws IOException {
        JsonNode schema = schema();
        JsonNode properties = schema.path("properties");
        JsonNode defs = schema.path("$defs");

        assertThat(fieldNames(defs.path("egress").path("properties"))).containsExactlyInAnyOrderElementsOf(EgressRulesReader.SIDE_FIELDS);
        assertThat(fieldNames(defs.path("allowEgress").path("properties"))).containsExactlyInAnyOrderElementsOf(EgressRulesReader.SIDE_FIELDS);
        JsonNode allow = defs.path("allowEgress").path("properties");
        JsonNode deny = defs.path("egress").path("properties");
        assertThat(fieldNames(allow.path("domains").path("items").path("oneOf").get(1).path("properties")))
                .containsExactlyInAnyOrderElementsOf(EgressRulesReader.ALLOW_DOMAIN_FIELDS);
        assertThat(fieldNames(allow.path("ip_cidrs").path("items").path("oneOf").get(1).path("properties")))
                .containsExactlyInAnyOrderElementsOf(EgressRulesReader.ALLOW_CIDR_FIELDS);
        assertThat(fieldNames(deny.path("domains").path("items").path("oneOf").get(1).path("properties")))
                .containsExactlyInAnyOrderElementsOf(EgressRulesReader.DENY_DOMAIN_FIELDS);
        assertThat(fieldNames(deny.path("ip_cidrs").path("items").path("oneOf").get(1).path("properties")))
                .containsExactlyInAnyOrderElementsOf(EgressRulesReader.DENY_CIDR_FIELDS);
        assertThat(fieldNames(properties.path("allowed").path("properties"))).containsExactlyInAnyOrderElementsOf(ModelRulesReader.ALLOWED_FIELDS);
        assertThat(fieldNames(properties.path("requirements").path("properties"))).containsExactlyInAnyOrderElementsOf(ModelRulesReader.REQUIREMENT_FIELDS);
        assertThat(fieldNames(properties.path("model_routing").path("properties"))).containsExactlyInAnyOrderElementsOf(ModelRulesReader.ROUTING_FIELDS);
        assertThat(fieldNames(defs.path("tools").path("properties"))).containsExactlyInAnyOrderElementsOf(ToolRulesReader.TOOL_FIELDS);
        assertThat(fieldNames(properties.path("openclaw").path("properties"))).containsExactlyInAnyOrderElementsOf(ToolRulesReader.OPENCLAW_FIELDS);
    }

    @Test
    void specDescribesEveryTopLevelField() throws IOException {
        String spec = Files.readString(DOCS.resolve("wpc.md"));

        assertThat(WpcParser.TOP_LEVEL_FIELDS).allSatisfy(field -> assertThat(spec).contains("`" + field));
    }

    @Test
    void everyJsonTestResourceIsWellFormedJson() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(TEST_RESOURCES)) {
            files = walk.filter(path -> path.toString().endsWith(".json")).toList();
        }
        List<String> broken = new ArrayList<>();
        for (Path file : files) {
            try {
                JSON.readTree(file.toFile());
            } catch (IOException e) {
                broken.add(file + ": " + e.getMessage());
            }
        }

        assertThat(files).isNotEmpty();
        assertThat(broken).isEmpty();
    }

    @Test
    void everyWpcSampleIsAValidWpc() throws IOException {
        try (Stream<Path> samples = Files.list(TEST_RESOURCES.resolve("wpc"))) {
            assertThat(samples.toList()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(sample ->
                    assertThat(WpcParser.parse(Files.readString(sample), sample.getFileName().toString()))
                            .isInstanceOf(WpcParseResult.Valid.class));
        }
    }

    private static JsonNode schema() throws IOException {
        return JSON.readTree(DOCS.resolve("wpc.schema.json").toFile());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
