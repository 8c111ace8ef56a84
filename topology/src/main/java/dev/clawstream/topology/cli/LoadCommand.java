package dev.clawstream.topology.cli;

import dev.clawstream.topology.embedded.EmbeddedStack;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.load.LoadHarness;
import dev.clawstream.topology.load.StateSize;
import org.HdrHistogram.Histogram;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code clawstream load}: the load harness (see {@link LoadHarness}). */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Measure the enforcer under a realistic fleet's traffic, with exactly-once, through a real broker.",
                "Drains one backlog with a pass-through yardstick, then with the enforcer (capacity and ratio), then",
                "the decisions with the alerter (all default rules; throughput and state size),",
                "then sends traffic at --rate for --duration and reports end-to-end latency percentiles",
                "(event time -> decision visible to read_committed consumers), heap and RSS.",
                "Without --bootstrap it starts its own embedded broker and registry in a temporary directory.",
                "It uses its own topic prefix (load-<time>.) and throwaway keys, so it never touches real traffic."})
final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rate", defaultValue = "20000", paramLabel = "N",
            description = "Records per second into the enforcer, events and receipts (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "30s", paramLabel = "D", converter = HumanDuration.class,
            description = "How long to send at --rate (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--agents", defaultValue = "50", paramLabel = "A", description = "Agents in the fleet (default: ${DEFAULT-VALUE}).")
    int agents;

    @Option(names = "--jobs", defaultValue = "200", paramLabel = "J", description = "Concurrent jobs (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--backlog", paramLabel = "N",
            description = "Records in the capacity backlog (default: 10 seconds' worth at --rate).")
    Optional<Integer> backlog;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--seed", defaultValue = "1", description = "Traffic generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--commit-interval", paramLabel = "MS",
            description = "Kafka Streams commit.interval.ms for both applications (default: as in production).")
    Optional<Long> commitInterval;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Stream threads per application, the same for yardstick and enforcer (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
            description = "Any Kafka Streams setting for every application of the run, to try tunings (repeatable).")
    java.util.Map<String, String> streamsConfig = new java.util.HashMap<>();

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Your Kafka; without it an embedded one is started.")
    Optional<String> bootstrap;

    @Option(names = "--registry", paramLabel = "URL", description = "Your schema registry (with --bootstrap).")
    Optional<String> registry;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (bootstrap.isPresent() != registry.isPresent()) {
            throw new InvalidInputException("give both --bootstrap and --registry, or neither for an embedded stack");
        }
        Properties overrides = new Properties();
        commitInterval.ifPresent(ms -> overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(ms)));
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(threads));
        overrides.putAll(streamsConfig);
        String prefix = "load-" + System.currentTimeMillis() / 1000 + ".";
        Path work = Files.createTempDirectory("clawstream-load-");
        try {
            LoadHarness.Report report;
            if (bootstrap.isPresent()) {
                KafkaConnection connection = new KafkaConnection(bootstrap.get(), registry.get(), prefix);
                report = new LoadHarness(connection, work, settings(Optional.empty(), overrides), err).run();
            } else {
                err.println("load: starting an embedded broker and registry in " + work);
                try (EmbeddedStack stack = EmbeddedStack.start(work, 0, 0, Optional.empty())) {
                    KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl(), prefix);
                    report = new LoadHarness(connection, work.resolve("streams"), settings(Optional.of((short) 1), overrides),
                            err).run();
                }
            }
            print(report, out);
            return report.decided() == report.sent() ? 0 : 1;
        } finally {
            Directories.deleteTree(work);
        }
    }

    private LoadHarness.Settings settings(Optional<Short> replication, Properties overrides) {
        int backlogRecords = backlog.orElse((int) Math.min(Integer.MAX_VALUE, 10L * rate));
        return new LoadHarness.Settings(rate, duration, agents, jobs, backlogRecords, partitions, replication, seed,
                overrides);
    }

    private void print(LoadHarness.Report r, PrintWriter out) {
        Histogram latency = r.latencyMillis();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf("Clawstream load: %d agents, %d jobs, %d partitions, %d stream thread(s), exactly_once_v2, %d cores%n",
                agents, jobs, partitions, threads, cores);
        out.printf("  capacity (backlog of %,d records):%n", r.backlog());
        out.printf("    pass-through yardstick  %,10.0f records/s%n", r.yardstickPerSecond());
        out.printf("    enforcer                %,10.0f records/s   ratio %.2f%n", r.enforcerPerSecond(), r.ratio());
        printDrain(out, "alerter (all rules)", r.alerter(), r.enforcerPerSecond());
        printDrain(out, "bundler", r.bundler(), r.enforcerPerSecond());
        out.printf("  latency at %,d records/s for %d s (sent %,.0f/s; event time -> decision visible):%n",
                r.targetRate(), duration.toSeconds(), r.sentPerSecond());
        out.printf("    p50 %d ms   p90 %d ms   p99 %d ms   p99.9 %d ms   max %d ms%n",
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(90), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), latency.getMaxValue());
        out.printf("    decided %,d of %,d sent; %.1f%% allowed; %,d sidecar mismatches%n", r.decided(), r.sent(),
                r.decided() == 0 ? 0.0 : 100.0 * r.allowed() / r.decided(), r.sidecarMismatches());
        out.printf("  memory (whole process%s): heap peak %,d MB of %,d MB max; RSS peak %s%n",
                bootstrap.isPresent() ? "" : ", embedded broker and registry included", r.heapPeakBytes() >> 20,
                r.heapMaxBytes() >> 20, r.rssPeakBytes() < 0 ? "n/a" : String.format("%,d MB", r.rssPeakBytes() >> 20));
        out.flush();
    }

    private static void printDrain(PrintWriter out, String stage, LoadHarness.StageDrain d, double enforcerPerSecond) {
        out.printf("    %-23s %,10.0f decisions/s ratio to the enforcer %.2f%s%n", stage, d.perSecond(),
                d.perSecond() / enforcerPerSecond, d.complete() ? ""
                        : String.format(" (out of time: consumed %,d of %,d)", d.drained(), d.of()));
        StateSize s = d.state();
        out.printf("      state after %,d decisions: %,d KB on disk once closed; while running, RocksDB: SST files %s,"
                + " memtables %s, %s keys (estimate)%n", d.drained(), s.diskBytes() >> 10, kilobytes(s.sstBytes()),
                kilobytes(s.memTableBytes()), s.keys() < 0 ? "not reported" : String.format("%,d", s.keys()));
        out.printf("      on disk by store: %s%n", s.diskByStore().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> String.format("%s %,d KB", e.getKey(), e.getValue() >> 10))
                .collect(java.util.stream.Collectors.joining(", ")));
    }

    private static String kilobytes(long bytes) {
        return bytes < 0 ? "not reported" : String.format("%,d KB", bytes >> 10);
    }

}
