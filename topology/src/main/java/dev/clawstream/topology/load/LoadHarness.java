package dev.clawstream.topology.load;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstIssuer;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcRecords;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.WpcRecord;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.schemas.serde.AvroDeserializer;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.SchemaProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.pipeline.PipelineSettings;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.pipeline.StreamsApp;
import org.HdrHistogram.Histogram;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load harness behind {@code clawstream load}. Two measurements in one run, on the same broker and
 * the same traffic:
 * <ol>
 *   <li><b>Capacity.</b> A backlog of fleet traffic is written first; then the pass-through yardstick
 *   drains it, then the enforcer does. Each rate is taken between a tenth and all of the backlog
 *   becoming visible downstream, so start-up is not counted, and the ratio is the cost of deciding.</li>
 *   <li><b>Latency.</b> With the enforcer running, traffic is sent at the requested rate for the
 *   requested time, each event stamped with its send time; the latency of each is from that event
 *   time until its decision is visible to a {@code read_committed} consumer.</li>
 * </ol>
 * Keys are generated in memory for the run and never written anywhere.
 */
public final class LoadHarness {

    static final String BACKLOG_ID_PREFIX = "b-";
    static final String LIVE_ID_PREFIX = "l-";
    private static final Duration READY = Duration.ofSeconds(120);
    /** How long a drain may take: 300 s, or 1 ms per backlog record when that is longer (1 M: 1,000 s). */
    private static final Duration MIN_DRAIN = Duration.ofSeconds(300);

    /** What to run. {@code rate} counts records into the enforcer: egress events and gateway receipts. */
    public record Settings(int rate, Duration duration, int agents, int jobs, int backlog, int partitions,
                           Optional<Short> replication, long seed, Properties streamsOverrides) {
        public Settings {
            if (rate <= 0 || agents <= 0 || jobs <= 0 || backlog < 10 || partitions <= 0 || duration.isNegative()
                    || duration.isZero()) {
                throw new IllegalArgumentException("rate, duration, agents, jobs and partitions must be positive and "
                        + "the backlog at least 10");
            }
        }
    }

    /**
     * A stage draining the enforcer's decisions of the backlog: its rate, how many it had consumed when
     * measured (all, unless it ran out of time), and its state afterwards.
     */
    public record StageDrain(double perSecond, long drained, long of, StateSize state) {
        public boolean complete() {
            return drained >= of;
        }
    }

    /** What was measured. Throughputs are records per second. */
    public record Report(long backlog, double yardstickPerSecond, double enforcerPerSecond,
                         StageDrain alerter, StageDrain bundler, int targetRate,
                         double sentPerSecond, long sent, long decided, Histogram latencyMillis, long allowed,
                         long sidecarMismatches, long heapPeakBytes, long heapMaxBytes, long rssPeakBytes) {
        public double ratio() {
            return enforcerPerSecond / yardstickPerSecond;
        }
    }

    private final KafkaConnection connection;
    private final Path stateDir;
    private final Settings settings;
    private final PrintWriter progress;
    private final MemoryProbe memory = new MemoryProbe();

    public LoadHarness(KafkaConnection connection, Path stateDir, Settings settings, PrintWriter progress) {
        this.connection = connection;
        this.stateDir = stateDir;
        this.settings = settings;
        this.progress = progress;
    }

    public Report run() throws Exception {
        String prefix = connection.topicPrefix();
        SchemaRegistryClient registry = connection.registryClient();
        String yardstickEvents = prefix + "load.yardstick.events";
        String yardstickReceipts = prefix + "load.yardstick.receipts";
        provision(registry, List.of(yardstickEvents, yardstickReceipts));

        Signer publisher = Keys.generate();
        Signer issuer = Keys.generate();
        Signer gateway = Keys.generate();
        progress.println("load: generated throwaway publisher, issuer and gateway keys in memory for this run");
        EnforcerKeys trusted = new EnforcerKeys(TrustedKeys.of(List.of(publisher.verifier())),
                TrustedKeys.of(List.of(issuer.verifier())), TrustedKeys.of(List.of(gateway.verifier())));

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProperties(), new StringSerializer(),
                new ByteArraySerializer())) {
            Sender sender = new Sender(producer, registry, prefix);
            List<FleetTraffic.FleetJob> jobs = publishPolicyAndTokens(sender, publisher, issuer);

            // 1. Capacity: the same backlog drained by the yardstick, then by the enforcer.
            FleetTraffic backlogTraffic = new FleetTraffic(jobs, gateway, settings.seed(), BACKLOG_ID_PREFIX);
            long backlog = 0;
            while (backlog < settings.backlog()) {
                backlog += sender.send(backlogTraffic.next(Instant.now()));
            }
            producer.flush();
            progress.printf("load: backlog of %,d records written; draining it with the pass-through yardstick%n", backlog);
            double yardstick;
            try (OutputWatcher watcher = new OutputWatcher(connection.consumerProperties("load-yardstick-watch"),
                    List.of(yardstickEvents, yardstickReceipts), settings.partitions(), null, "").start();
                 StageRunner app = StageRunner.startApps(List.of(new StreamsApp("load-yardstick",
                                 b -> PassThroughTopology.buildInto(b, ClawTopic.EGRESS_EVENTS.topicName(prefix),
                                         ClawTopic.GATEWAY_RECEIPTS.topicName(prefix), yardstickEvents, yardstickReceipts,
                                         registry),
                                 // the enforcer's own settings, so the comparison is of the work alone
                                 StageRunner.IN_TIMESTAMP_ORDER)),
                         connection, stateDir, registry, settings.streamsOverrides())) {
                watcher.expect(backlog);
                awaitDrained(watcher, backlog, "yardstick");
                yardstick = watcher.throughputPerSecond();
            }
            progress.printf("load: yardstick %,.0f records/s; now the enforcer on the same backlog%n", yardstick);

            AvroDeserializer<dev.clawstream.schemas.Decision> decisions =
                    AvroDeserializer.specific(registry, dev.clawstream.schemas.Decision.class);
            try (OutputWatcher watcher = new OutputWatcher(connection.consumerProperties("load-decision-watch"),
                    List.of(ClawTopic.EGRESS_DECISIONS.topicName(prefix)), settings.partitions(), decisions,
                    LIVE_ID_PREFIX).start();
                 StageRunner enforcer = StageRunner.startApps(StageRunner.applications(Stage.ENFORCER, connection,
                         registry, PipelineSettings.withDefaults(trusted)), connection, stateDir, registry, settings.streamsOverrides())) {
                watcher.expect(backlog);
                awaitDrained(watcher, backlog, "enforcer");
                double enforcerRate = watcher.throughputPerSecond();
                progress.printf("load: enforcer %,.0f records/s (%.2f of the yardstick); now the alerter on its decisions%n",
                        enforcerRate, enforcerRate / yardstick);
                StageDrain alerter = drain(Stage.ALERTER, PipelineSettings.withDefaults(new EnforcerKeys(
                        TrustedKeys.none(), TrustedKeys.none(), TrustedKeys.none())), registry, backlog);
                progress.printf("load: alerter %,.0f decisions/s (%.2f of the enforcer), state %,d KB on disk after %,d"
                        + " decisions; now the bundler on them%n", alerter.perSecond(), alerter.perSecond() / enforcerRate,
                        alerter.state().diskBytes() >> 10, alerter.drained());
                StageDrain bundler = drain(Stage.BUNDLER, PipelineSettings.withDefaults(trusted)
                        .withBundlerKey(Keys.generate()), registry, backlog);
                progress.printf("load: bundler %,.0f decisions/s, state %,d KB on disk after %,d decisions%n",
                        bundler.perSecond(), bundler.state().diskBytes() >> 10, bundler.drained());

                // 2. Latency at the requested rate.
                FleetTraffic live = new FleetTraffic(jobs, gateway, settings.seed() + 1, LIVE_ID_PREFIX);
                long sent = paced(sender, live, watcher, backlog);
                producer.flush();
                double sentPerSecond = sent / (double) settings.duration().toSeconds();
                Instant deadline = Instant.now().plus(drainLimit());
                while (watcher.measured() < sent && Instant.now().isBefore(deadline)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing the report, not synchronising
                }
                memory.sample();
                return new Report(backlog, yardstick, enforcerRate, alerter, bundler, settings.rate(), sentPerSecond, sent,
                        watcher.measured(), watcher.latency(), watcher.allowed(), watcher.mismatches(), memory.heapPeak(),
                        memory.heapMax(), memory.rssPeak());
            }
        }
    }

    /**
     * A stage (the alerter with all default rules, or the bundler) drains the decisions of the backlog.
     * Its output is sparse (alerts, sealed segments), so progress is read from its committed offsets on
     * egress.decisions; the rate is taken between a tenth and all. Its state is measured once it has
     * drained: RocksDB's own figures while it runs, the files on disk once it has closed (flushed).
     * A stage that runs out of time is reported with what it did, not thrown away.
     */
    private StageDrain drain(Stage stage, PipelineSettings pipeline, SchemaRegistryClient registry, long decisions)
            throws Exception {
        String topic = ClawTopic.EGRESS_DECISIONS.topicName(connection.topicPrefix());
        String group = connection.topicPrefix() + stage.cliName();
        Map<String, Long> sst;
        Map<String, Long> memTables;
        Map<String, Long> keys;
        long committed = 0;
        long tenthAt = 0;
        long tenth = decisions / 10;
        long lastAt = 0;
        try (Admin admin = Admin.create(connection.adminProperties());
             StageRunner runner = StageRunner.startApps(StageRunner.applications(stage, connection, registry, pipeline),
                     connection, stateDir, registry, settings.streamsOverrides())) {
            Instant deadline = Instant.now().plus(drainLimit());
            while (committed < decisions && Instant.now().isBefore(deadline)) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .entrySet().stream().filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                lastAt = System.nanoTime();
                if (tenthAt == 0 && committed >= tenth) {
                    tenthAt = lastAt;
                }
                memory.sample();
                if (committed < decisions) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polling the group's offsets
                }
            }
            sst = runner.storeMetric("total-sst-files-size");
            memTables = runner.storeMetric("size-all-mem-tables");
            keys = runner.storeMetric("estimate-num-keys");
        }
        if (committed < decisions) {
            progress.printf("load: the %s consumed only %,d of %,d decisions in %d s%n", stage.cliName(), committed,
                    decisions, drainLimit().toSeconds());
        }
        double rate = tenthAt == 0 || lastAt == tenthAt ? 0 : (committed - tenth) / ((lastAt - tenthAt) / 1e9);
        return new StageDrain(rate, committed, decisions,
                StateSize.measure(stateDir.resolve(stage.cliName()), sst, memTables, keys));
    }

    private Duration drainLimit() {
        Duration perRecord = Duration.ofMillis(settings.backlog());
        return perRecord.compareTo(MIN_DRAIN) > 0 ? perRecord : MIN_DRAIN;
    }

    private void provision(SchemaRegistryClient registry, List<String> yardstickTopics) throws Exception {
        try (Admin admin = Admin.create(connection.adminProperties())) {
            new TopicProvisioner(admin, connection.topicPrefix())
                    .createAll(Optional.of(settings.partitions()), settings.replication());
            List<NewTopic> extra = new ArrayList<>();
            for (String topic : yardstickTopics) {
                extra.add(new NewTopic(topic, Optional.of(settings.partitions()), settings.replication()));
            }
            admin.createTopics(extra).all().get(30, TimeUnit.SECONDS);
        }
        SchemaProvisioner.registerAll(registry, connection.topicPrefix());
    }

    private List<FleetTraffic.FleetJob> publishPolicyAndTokens(Sender sender, Signer publisher, Signer issuer)
            throws Exception {
        WpcParseResult.Valid wpc = (WpcParseResult.Valid) WpcParser.parse(FleetTraffic.WPC, "fleet.json");
        WpcRecord record = WpcRecords.toRecord(wpc, WpcSignature.sign(publisher, wpc.document()), Instant.now());
        sender.sendWpc(record);
        CstIssuer tokens = new CstIssuer(issuer, Clock.systemUTC());
        List<FleetTraffic.FleetJob> jobs = new ArrayList<>();
        // Tokens outlive the run however long the drains take.
        Duration ttl = settings.duration().plusHours(2);
        for (int j = 0; j < settings.jobs(); j++) {
            String jobId = "load-job-" + j;
            String agentId = "agent-" + (j % settings.agents());
            Cst token = tokens.issue(jobId, agentId, "{\"job\":\"" + jobId + "\"}", List.of(wpc.document().hash()),
                    Optional.empty(), List.of(), ttl);
            sender.sendToken(token);
            jobs.add(new FleetTraffic.FleetJob(jobId, agentId, token.scopeHash().toString()));
        }
        progress.printf("load: published WPC %s and %,d job tokens for %,d agents%n", record.getWpcHash(),
                settings.jobs(), settings.agents());
        return jobs;
    }

    /** Sends live traffic at the target rate for the duration, with a progress line each second. */
    private long paced(Sender sender, FleetTraffic traffic, OutputWatcher watcher, long backlog) {
        long start = System.nanoTime();
        long durationNanos = settings.duration().toNanos();
        long sent = 0;
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            long now = System.nanoTime();
            long elapsed = now - start;
            if (elapsed >= durationNanos) {
                return sent;
            }
            long due = (long) (settings.rate() * (elapsed / 1e9));
            while (sent < due) {
                sent += sender.send(traffic.next(Instant.now()));
            }
            if (now >= nextReport) {
                MemoryProbe.Sample sample = memory.sample();
                Histogram latency = watcher.latency();
                progress.printf("load: %3ds/%ds  sent %,d (%,.0f/s)  decided %,d  p50 %d ms  p99 %d ms  heap %d MB  rss %s%n",
                        TimeUnit.NANOSECONDS.toSeconds(elapsed), settings.duration().toSeconds(), sent,
                        sent / (elapsed / 1e9), watcher.measured(), latency.getValueAtPercentile(50),
                        latency.getValueAtPercentile(99), sample.heapBytes() >> 20,
                        sample.rssBytes() < 0 ? "n/a" : (sample.rssBytes() >> 20) + " MB");
                progress.flush();
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500)); // the generator's pacing
        }
    }

    private void awaitDrained(OutputWatcher watcher, long backlog, String what) {
        Instant deadline = Instant.now().plus(drainLimit());
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!watcher.reachedTarget()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(what + " decided only " + watcher.count() + " of " + backlog
                        + " records in " + drainLimit().toSeconds() + " s");
            }
            if (System.nanoTime() >= nextReport) {
                memory.sample();
                progress.printf("load: %s %,d / %,d%n", what, watcher.count(), backlog);
                progress.flush();
                nextReport += TimeUnit.SECONDS.toNanos(2);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing the progress line
        }
    }

    private Properties producerProperties() {
        Properties p = connection.producerProperties("clawstream-load");
        // Batch like a busy sidecar fleet's log shipper would.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(128 * 1024));
        return p;
    }

    /** Serialises and sends fleet records to their topics, keyed by job id. */
    private static final class Sender {
        private final KafkaProducer<String, byte[]> producer;
        private final AvroSerializer<SpecificRecord> serializer;
        private final String events;
        private final String receipts;
        private final String wpcs;
        private final String tokens;

        Sender(KafkaProducer<String, byte[]> producer, SchemaRegistryClient registry, String prefix) {
            this.producer = producer;
            this.serializer = new AvroSerializer<>(registry, true, false);
            this.events = ClawTopic.EGRESS_EVENTS.topicName(prefix);
            this.receipts = ClawTopic.GATEWAY_RECEIPTS.topicName(prefix);
            this.wpcs = ClawTopic.WPC_REGISTRY.topicName(prefix);
            this.tokens = ClawTopic.CST_BINDINGS.topicName(prefix);
        }

        int send(List<SpecificRecord> records) {
            for (SpecificRecord record : records) {
                String topic = record instanceof EgressEvent ? events : receipts;
                String job = record instanceof EgressEvent e ? e.getJobId()
                        : ((dev.clawstream.schemas.GatewayReceipt) record).getJobId();
                producer.send(new ProducerRecord<>(topic, job, serializer.serialize(topic, record)));
            }
            return records.size();
        }

        void sendWpc(WpcRecord record) throws Exception {
            producer.send(new ProducerRecord<>(wpcs, record.getWpcHash(), serializer.serialize(wpcs, record))).get();
        }

        void sendToken(Cst token) {
            producer.send(new ProducerRecord<>(tokens, token.jobId(), serializer.serialize(tokens, CstRecords.toRecord(token))));
        }
    }
}
