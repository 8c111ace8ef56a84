package dev.clawstream.schemas;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compatibility rule we keep: BACKWARD. Every schema in the tree must read data written with the
 * previous released copy under src/test/resources/released, and every enum must have a default
 * symbol so that old readers survive new symbols.
 */
class ReleasedSchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/test/resources/released");

    @Test
    void everyCurrentSchemaReadsDataWrittenWithItsReleasedCopy() throws IOException {
        Map<String, Schema> current = parseAll(CURRENT);
        Map<String, Schema> released = parseAll(RELEASED);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Schema> old : released.entrySet()) {
            Schema now = current.get(old.getKey());
            if (now == null) {
                failures.add(old.getKey() + ": removed, but released data still uses it");
                continue;
            }
            var result = SchemaCompatibility.checkReaderWriterCompatibility(now, old.getValue()).getResult();
            if (result.getCompatibility() != SchemaCompatibilityType.COMPATIBLE) {
                result.getIncompatibilities().forEach(i -> failures.add(old.getKey() + " at "
                        + i.getLocation() + ": " + i.getMessage()));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyReleasedSchemaHasACurrentFile() throws IOException {
        assertThat(fileNames(CURRENT)).containsAll(fileNames(RELEASED));
    }

    @Test
    void everyEnumHasADefaultSymbol() throws IOException {
        List<String> withoutDefault = parseAll(CURRENT).values().stream()
                .filter(s -> s.getType() == Schema.Type.ENUM && s.getEnumDefault() == null)
                .map(Schema::getFullName).toList();
        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void theCheckRejectsAFieldAddedWithoutDefault() throws IOException {
        Schema released = parseAll(RELEASED).get("dev.clawstream.schemas.JobEvent");
        String broken = released.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");
        Schema candidate = new Schema.Parser().parse(broken);

        var result = SchemaCompatibility.checkReaderWriterCompatibility(candidate, released).getResult();

        assertThat(result.getCompatibility()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(result.getIncompatibilities().get(0).getMessage()).contains("tenant");
    }

    @Test
    void theCheckAcceptsAFieldAddedWithDefault() throws IOException {
        Schema released = parseAll(RELEASED).get("dev.clawstream.schemas.JobEvent");
        String evolved = released.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],\"default\":null},");
        Schema candidate = new Schema.Parser().parse(evolved);

        var result = SchemaCompatibility.checkReaderWriterCompatibility(candidate, released).getResult();

        assertThat(result.getCompatibility()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    /**
     * Parses every .avsc of a directory into one namespace of named types. Files refer to each other
     * (Decision names EgressEvent), so a file that fails on an undefined name is retried after the
     * others, until a pass makes no progress.
     */
    static Map<String, Schema> parseAll(Path dir) throws IOException {
        List<Path> pending = new ArrayList<>(files(dir));
        Map<String, Schema> known = new HashMap<>();
        while (!pending.isEmpty()) {
            List<Path> failed = new ArrayList<>();
            AvroRuntimeException last = null;
            for (Path file : pending) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(known.values());
                try {
                    Schema schema = parser.parse(file.toFile());
                    known.put(schema.getFullName(), schema);
                } catch (AvroRuntimeException e) { // AvroTypeException for an undefined name
                    failed.add(file);
                    last = e;
                }
            }
            if (failed.size() == pending.size()) {
                throw new IllegalStateException("cannot parse " + failed, last);
            }
            pending = failed;
        }
        return known;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        return files(dir).stream().map(p -> p.getFileName().toString()).toList();
    }
}
