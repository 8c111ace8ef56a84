package dev.clawstream.topology.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The size of one Kafka Streams application's local state: bytes on disk under its state directory
 * (RocksDB's SST files, logs and manifests, the checkpoint files), by store, measured once the
 * application has closed (its memtables flushed); and what RocksDB itself reports through Kafka
 * Streams' metrics while the application ran, when part of the state may still be in memtables.
 *
 * @param diskBytes      every file under the application's state directory
 * @param diskByStore    the same by store name ({@code (task files)} for checkpoints and locks)
 * @param sstBytes       RocksDB {@code total-sst-files-size}, summed over stores; -1 when not reported
 * @param memTableBytes  RocksDB {@code size-all-mem-tables}, summed over stores; -1 when not reported
 * @param keys           RocksDB {@code estimate-num-keys}, summed over stores; -1 when not reported
 */
public record StateSize(long diskBytes, Map<String, Long> diskByStore, long sstBytes, long memTableBytes,
                        long keys) {

    static final String TASK_FILES = "(task files)";

    public StateSize {
        diskByStore = Map.copyOf(diskByStore);
    }

    /**
     * Walks {@code appStateDir} (the application's {@code state.dir}); its layout is Kafka Streams':
     * {@code <application.id>/<task>/rocksdb/<store>/...} for key-value stores and
     * {@code <application.id>/<task>/<store>/<segment>/...} for segmented (window) stores.
     */
    static StateSize measure(Path appStateDir, Map<String, Long> sst, Map<String, Long> memTables,
                             Map<String, Long> keys) throws IOException {
        Map<String, Long> byStore = new TreeMap<>();
        long total = 0;
        if (Files.exists(appStateDir)) {
            try (Stream<Path> files = Files.walk(appStateDir)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    long size = Files.size(file);
                    total += size;
                    byStore.merge(storeOf(appStateDir.relativize(file)), size, Long::sum);
                }
            }
        }
        return new StateSize(total, byStore, sum(sst), sum(memTables), sum(keys));
    }

    /** The store a file belongs to, from its path below the state dir: application id, task, then the store. */
    static String storeOf(Path relative) {
        if (relative.getNameCount() < 4) {
            return TASK_FILES;
        }
        String first = relative.getName(2).toString();
        return first.equals("rocksdb") && relative.getNameCount() >= 5 ? relative.getName(3).toString() : first;
    }

    private static long sum(Map<String, Long> values) {
        return values.isEmpty() ? -1 : values.values().stream().mapToLong(Long::longValue).sum();
    }
}
