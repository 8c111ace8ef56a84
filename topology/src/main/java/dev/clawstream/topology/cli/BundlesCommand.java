package dev.clawstream.topology.cli;

import dev.clawstream.bundler.chain.EntryKind;
import dev.clawstream.bundler.stream.BundlerTopology;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.load.BundleOverhead;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code clawstream bundles export}: a job's sealed bundles out of Kafka, for compliance;
 * {@code clawstream bundles size}: what bundles cost in bytes on a fleet's traffic.
 */
@Command(name = "bundles", mixinStandardHelpOptions = true, description = "Sealed proof bundles.",
        subcommands = {BundlesCommand.Export.class, BundlesCommand.Size.class})
final class BundlesCommand {

    @Command(name = "size", mixinStandardHelpOptions = true,
            description = {"Measure proof bundles' size on the load harness's fleet traffic, offline: the traffic is",
                    "decided by the enforcer, chained and sealed by the bundler per job (default segment size and",
                    "interim checkpoints), and the sealed documents are measured full and redacted, per entry."})
    static final class Size implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--actions", defaultValue = "200000", paramLabel = "N",
                description = "Agent actions (a model call is an egress event and a receipt). Default ${DEFAULT-VALUE}.")
        int actions;

        @Option(names = "--jobs", defaultValue = "200", paramLabel = "J", description = "Jobs. Default ${DEFAULT-VALUE}.")
        int jobs;

        @Option(names = "--rate", defaultValue = "1000", paramLabel = "R",
                description = "Actions per second, fleet-wide: sets event times, so interim checkpoints. Default ${DEFAULT-VALUE}.")
        int rate;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S")
        long seed;

        @Override
        public Integer call() {
            if (actions < 1 || jobs < 1 || rate < 1) {
                throw new InvalidInputException("--actions, --jobs and --rate must be positive");
            }
            BundleOverhead.Report r = BundleOverhead.measure(actions, jobs, rate, seed);
            PrintWriter out = spec.commandLine().getOut();
            long entries = r.totalEntries();
            out.printf("bundles of %,d fleet actions at %,d/s: %,d entries in %,d jobs, %,d sealed segment(s)%n", actions,
                    rate, entries, jobs, r.documents());
            out.printf("  full (proof.bundles)     %,15d bytes  %,7.0f bytes/entry%n", r.fullBytes(), r.fullPerEntry());
            out.printf("  redacted (trust.pulse)   %,15d bytes  %,7.0f bytes/entry%n", r.redactedBytes(), r.redactedPerEntry());
            out.println("  by kind                entries   full bytes/entry   redacted bytes/entry");
            for (EntryKind kind : EntryKind.values()) {
                long n = r.entries().getOrDefault(kind, 0L);
                if (n > 0) {
                    out.printf("    %-18s %,9d   %,16.0f   %,20.0f%n", kind.json(), n,
                            (double) r.entryFullBytes().get(kind) / n, (double) r.entryRedactedBytes().get(kind) / n);
                }
            }
            long decisions = r.entries().getOrDefault(EntryKind.DECISION, 0L);
            out.printf("  a decision itself: %,.0f bytes of Avro (egress.decisions), %,.0f of natural JSON%n",
                    (double) r.decisionAvroBytes() / decisions, (double) r.decisionJsonBytes() / decisions);
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a job's sealed bundle segments from proof.bundles (or trust.pulse with --redacted)",
                    "to DIR/<job>.<segment>.bundle.json, ready for `clawstream verify`. Exit 1 when the job has none."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConnectionOptions connectionOptions;

        @Option(names = "--job", required = true, paramLabel = "J")
        String job;

        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Option(names = "--redacted", description = "Export the redacted copies Trust Pulse shows.")
        boolean redacted;

        @Option(names = "--wait", paramLabel = "DURATION", converter = HumanDuration.class,
                description = {"Wait up to this long for the job's final segment (a job just closed is sealed once its "
                        + "last decisions are in: within seconds). Default: export what is sealed now."})
        java.util.Optional<Duration> wait;

        @Override
        public Integer call() throws Exception {
            PrintWriter stdout = spec.commandLine().getOut();
            KafkaConnection connection = connectionOptions.connection();
            String topic = (redacted ? ClawTopic.TRUST_PULSE : ClawTopic.PROOF_BUNDLES).topicName(connection.topicPrefix());
            AvroDeserializer<ProofBundle> bundles = AvroDeserializer.specific(connection.registryClient(), ProofBundle.class);
            Map<Integer, ProofBundle> segments = new TreeMap<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                    connection.consumerProperties("clawstream-bundles-export"), new StringDeserializer(),
                    new ByteArrayDeserializer())) {
                List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
                if (partitions == null || partitions.isEmpty()) {
                    throw new IllegalStateException("topic " + topic + " does not exist");
                }
                // The bundler partitions by job id as every other topic does: the job's bundles are in one partition.
                TopicPartition partition = new TopicPartition(topic, BundlerTopology.partitionOf(job, partitions.size()));
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                long deadline = System.nanoTime() + wait.orElse(Duration.ZERO).toNanos();
                while (consumer.position(partition) < end
                        || (!sealedToTheEnd(segments) && System.nanoTime() < deadline)) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.value() == null || record.key() == null) {
                            continue;
                        }
                        ProofBundle bundle = bundles.deserialize(topic, record.value());
                        if (bundle.getJobId().equals(job)) {
                            segments.put(bundle.getSegmentIndex(), bundle); // the latest copy of a segment wins, as compaction keeps it
                        }
                    }
                }
            }
            if (segments.isEmpty()) {
                spec.commandLine().getErr().println("no sealed bundle for job " + job + " on " + topic);
                return 1;
            }
            Files.createDirectories(out);
            for (ProofBundle bundle : segments.values()) {
                Path file = out.resolve(fileName(job) + "." + bundle.getSegmentIndex() + ".bundle.json");
                Files.writeString(file, bundle.getBundle(), StandardCharsets.UTF_8);
                stdout.println(file + "  segment " + bundle.getSegmentIndex() + (bundle.getFinalSegment() ? " (final)" : "")
                        + ", " + bundle.getEntryCount() + " entries, sealed " + bundle.getSealedAt() + " ("
                        + bundle.getSealReason() + ")");
            }
            return 0;
        }

        /** Every segment from 0 to a final one is here. */
        private static boolean sealedToTheEnd(Map<Integer, ProofBundle> segments) {
            return !segments.isEmpty() && segments.size() == segments.keySet().stream().mapToInt(i -> i).max().orElse(-1) + 1
                    && segments.values().stream().anyMatch(ProofBundle::getFinalSegment);
        }

        /** A job id as a file name: anything but letters, digits, '.', '_' and '-' becomes '_'. */
        private static String fileName(String jobId) {
            return jobId.replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }
}
