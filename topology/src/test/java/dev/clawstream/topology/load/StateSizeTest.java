package dev.clawstream.topology.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StateSizeTest {

    @Test
    void filesAreCountedByTheStoreTheyBelongToInKafkaStreamsLayout(@TempDir Path dir) throws Exception {
        write(dir.resolve("app/0_0/rocksdb/job-tokens/000012.sst"), 1000);
        write(dir.resolve("app/0_1/rocksdb/job-tokens/000013.sst"), 500);
        write(dir.resolve("app/0_0/spike-windows/spike-windows.1700000000000/000007.sst"), 300);
        write(dir.resolve("app/0_0/.checkpoint"), 20);
        write(dir.resolve("app/kafka-streams-process-metadata"), 7);

        StateSize size = StateSize.measure(dir, Map.of("job-tokens", 1400L, "spike-windows", 250L), Map.of(),
                Map.of("job-tokens", 40L));

        assertThat(size.diskBytes()).isEqualTo(1827);
        assertThat(size.diskByStore()).containsExactlyInAnyOrderEntriesOf(Map.of("job-tokens", 1500L,
                "spike-windows", 300L, StateSize.TASK_FILES, 27L));
        assertThat(size.sstBytes()).isEqualTo(1650);
        assertThat(size.memTableBytes()).as("not reported").isEqualTo(-1);
        assertThat(size.keys()).isEqualTo(40);
    }

    @Test
    void aStageThatWroteNothingHasNoState(@TempDir Path dir) throws Exception {
        assertThat(StateSize.measure(dir.resolve("never-started"), Map.of(), Map.of(), Map.of()).diskBytes()).isZero();
    }

    private static void write(Path file, int bytes) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[bytes]);
    }
}
