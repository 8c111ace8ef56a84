package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clawstream.enforcer.canonical.Jcs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tree canonicaliser writes exactly what the RFC authors' canonicaliser ({@link Jcs}) writes. */
class CanonicalJsonTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The RFC 8785 authors' test vectors, kept by the enforcer module (see its jcs/README.md). */
    @Test
    void writesEveryRfc8785TestVector() throws Exception {
        Path dir = Stream.of(Path.of("../enforcer/src/test/resources/jcs"), Path.of("enforcer/src/test/resources/jcs"))
                .filter(Files::isDirectory).findFirst().orElseThrow();
        List<String> names = new ArrayList<>();
        try (Stream<Path> inputs = Files.list(dir.resolve("input"))) {
            for (Path input : inputs.sorted().toList()) {
                JsonNode parsed = BundleJson.MAPPER.readTree(Files.readString(input, StandardCharsets.UTF_8));
                byte[] expected = Files.readAllBytes(dir.resolve("output").resolve(input.getFileName()));
                assertThat(new String(CanonicalJson.bytes(parsed), StandardCharsets.UTF_8)).as(input.toString())
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8).stripTrailing());
                names.add(input.getFileName().toString());
            }
        }
        assertThat(names).contains("arrays.json", "french.json", "structures.json", "unicode.json", "values.json",
                "weird.json");
    }

    @Property(tries = 500)
    void agreesWithTheReferenceCanonicaliserOnAnyTree(@ForAll("trees") JsonNode tree) {
        byte[] reference = Jcs.canonicalize("[" + tree + "]");
        String expected = new String(reference, 1, reference.length - 2, StandardCharsets.UTF_8);
        assertThat(new String(CanonicalJson.bytes(tree), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void aLoneSurrogateHasNoCanonicalForm() {
        assertThatThrownBy(() -> CanonicalJson.bytes(TextNode.valueOf("a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.bytes(TextNode.valueOf("\udc00")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CanonicalJson.bytes(TextNode.valueOf("\ud83d\ude00"))).isEqualTo("\"\ud83d\ude00\"".getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<JsonNode> trees() {
        return Arbitraries.recursive(this::scalar, inner -> Arbitraries.oneOf(inner, array(inner), object(inner)), 0, 3);
    }

    private Arbitrary<JsonNode> scalar() {
        Arbitrary<String> text = Arbitraries.strings().all().ofMaxLength(12).filter(CanonicalJsonTest::validPairs);
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                text.map(NODES::textNode),
                Arbitraries.strings().withChars("\"\\\b\f\n\r\t\u0000\u001f\u007f\u00e9\u20ac/<>").ofMaxLength(8).map(NODES::textNode),
                Arbitraries.longs().between(-(1L << 53), 1L << 53).map(NODES::numberNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.doubles().ofScale(6).between(-1e21, 1e21).map(NODES::numberNode),
                Arbitraries.of(1e-7, 1e21, 1e22, 5e-324, 1.7976931348623157e308, 0.1, 123456789012345680000.0, -0.0)
                        .map(NODES::numberNode));
    }

    /** No lone surrogate: every string with a UTF-8 form. */
    private static boolean validPairs(String s) {
        return s.codePoints().noneMatch(cp -> cp >= 0xd800 && cp <= 0xdfff);
    }

    private Arbitrary<JsonNode> array(Arbitrary<JsonNode> elements) {
        return elements.list().ofMaxSize(4).map(items -> {
            ArrayNode a = NODES.arrayNode();
            items.forEach(a::add);
            return a;
        });
    }

    private Arbitrary<JsonNode> object(Arbitrary<JsonNode> values) {
        Arbitrary<String> keys = Arbitraries.strings().all().ofMaxLength(6).filter(CanonicalJsonTest::validPairs);
        return Arbitraries.maps(keys, values).ofMaxSize(4).map(fields -> {
            ObjectNode o = NODES.objectNode();
            fields.forEach(o::set);
            return o;
        });
    }
}
