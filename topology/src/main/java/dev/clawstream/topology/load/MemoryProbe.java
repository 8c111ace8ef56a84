package dev.clawstream.topology.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap in use and resident set size of this JVM, with their peaks since the probe was made. RSS comes
 * from {@code /proc/self/status} (Linux); elsewhere it reads as unknown (-1) rather than guessed.
 */
final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong heapPeak = new AtomicLong();
    private final AtomicLong rssPeak = new AtomicLong(-1);

    /** Takes one sample and returns it. */
    Sample sample() {
        long heap = memory.getHeapMemoryUsage().getUsed();
        long rss = rssBytes();
        heapPeak.accumulateAndGet(heap, Math::max);
        rssPeak.accumulateAndGet(rss, Math::max);
        return new Sample(heap, rss);
    }

    long heapPeak() {
        return heapPeak.get();
    }

    long rssPeak() {
        return rssPeak.get();
    }

    long heapMax() {
        return memory.getHeapMemoryUsage().getMax();
    }

    record Sample(long heapBytes, long rssBytes) {
    }

    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
