package dev.clawstream.topology.pipeline;

import dev.clawstream.alerter.stream.AlerterTopics;
import dev.clawstream.alerter.stream.AlerterTopology;
import dev.clawstream.bundler.BundleSealer;
import dev.clawstream.bundler.stream.BundlerTopics;
import dev.clawstream.bundler.stream.BundlerTopology;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.stream.DeadLetterHandler;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.enforcer.stream.EnforcerTopics;
import dev.clawstream.enforcer.stream.EnforcerTopology;
import dev.clawstream.enforcer.stream.JsonIngestTopology;
import dev.clawstream.enforcer.stream.WpcAuditTopology;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.registry.RestSchemaRegistryClient;
import dev.clawstream.schemas.registry.SchemaRegistryClient;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.kafka.KafkaConnection;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs pipeline stages, each as its own Kafka Streams application (own {@code application.id}), so
 * each scales and fails on its own; more instances with the same prefix share the work.
 */
public final class StageRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * For stages whose task reads several topics of one job and must see them in timestamp order: the
     * enforcer (a token published just before a job's first event must bind it) and the bundler (a job's
     * close must follow its decisions). Waits up to 1 s for a lagging input; costs nothing once every
     * input is caught up.
     */
    public static final Map<String, Object> IN_TIMESTAMP_ORDER = Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "1000");

    private final List<KafkaStreams> running;
    private final CountDownLatch allRunning;

    private StageRunner(List<KafkaStreams> running, CountDownLatch allRunning) {
        this.running = running;
        this.allRunning = allRunning;
    }

    public static StageRunner start(Collection<Stage> stages, KafkaConnection connection, Path stateDir,
                                    EnforcerKeys keys) {
        return start(stages, connection, stateDir, PipelineSettings.withDefaults(keys), new Properties());
    }

    /** Starts the stages' applications; {@code overrides} are Kafka Streams settings applied last. */
    public static StageRunner start(Collection<Stage> stages, KafkaConnection connection, Path stateDir,
                                    PipelineSettings settings, Properties overrides) {
        SchemaRegistryClient registry = connection.registryClient();
        List<StreamsApp> apps = new ArrayList<>();
        for (Stage stage : stages) {
            apps.addAll(applications(stage, connection, registry, settings));
        }
        return startApps(apps, connection, stateDir, registry, overrides);
    }

    /** The applications a stage runs, each with its own application id. */
    public static List<StreamsApp> applications(Stage stage, KafkaConnection connection, SchemaRegistryClient registry,
                                                PipelineSettings settings) {
        if (!stage.inThisBuild()) {
            throw new IllegalArgumentException("stage " + stage.cliName() + " is not in this build yet");
        }
        String prefix = connection.topicPrefix();
        switch (stage) {
            case ENFORCER: {
                EnforcerTopics topics = EnforcerTopics.withPrefix(prefix);
                EnforcerKeys keys = settings.trust();
                return List.of(
                        new StreamsApp(stage.cliName(), builder -> {
                            EnforcerTopology.buildInto(builder, topics, registry, keys, Clock.systemUTC());
                            // The JSON ingest feeds the enforcer's own input, so it runs in the enforcer's application.
                            JsonIngestTopology.buildInto(builder, ClawTopic.EGRESS_EVENTS_JSON.topicName(prefix),
                                    ClawTopic.EGRESS_EVENTS.topicName(prefix), registry);
                        }, IN_TIMESTAMP_ORDER),
                        // wpc.registry already feeds the enforcer's global store; see WpcAuditTopology for why
                        // dead-lettering forged policies needs an application of its own.
                        new StreamsApp(stage.cliName() + "-wpc-audit",
                                builder -> WpcAuditTopology.buildInto(builder, topics, registry, keys.publishers())));
            }
            case ALERTER:
                // Kafka's default: its event-time windows have a grace period for inputs that lag each
                // other. Idling 1 s for alignment across its repartition inputs cut its throughput
                // four-fold (clawstream load: 1,900 -> 7,800 decisions/s).
                return List.of(new StreamsApp(stage.cliName(), builder -> AlerterTopology.buildInto(builder,
                        AlerterTopics.withPrefix(prefix), registry, settings.alertRules())));
            case BUNDLER: {
                Signer key = settings.bundlerKey().orElseThrow(() -> new IllegalArgumentException(
                        "the bundler stage needs a signing key (--bundler-key FILE or --bundler-key-env VAR)"));
                BundleSealer sealer = new BundleSealer(key, settings.sealer());
                return List.of(new StreamsApp(stage.cliName(), builder -> BundlerTopology.buildInto(builder,
                        BundlerTopics.withPrefix(prefix), registry, sealer, settings.trust().gateways(),
                        Clock.systemUTC()), IN_TIMESTAMP_ORDER));
            }
            default:
                throw new IllegalArgumentException("stage " + stage.cliName() + " has no applications");
        }
    }

    /**
     * Starts the given applications; {@code overrides} are Kafka Streams settings applied last (the
     * load harness uses them to try commit intervals; production runs pass none).
     */
    public static StageRunner startApps(List<StreamsApp> apps, KafkaConnection connection, Path stateDir,
                                        SchemaRegistryClient registry, Properties overrides) {
        List<KafkaStreams> started = new ArrayList<>();
        CountDownLatch allRunning = new CountDownLatch(apps.size());
        for (StreamsApp app : apps) {
            StreamsBuilder builder = new StreamsBuilder();
            app.topology().accept(builder);
            Properties props = properties(app.name(), connection, stateDir, registry);
            props.putAll(app.config());
            props.putAll(overrides);
            KafkaStreams streams = new KafkaStreams(builder.build(), props);
            // A bug in one record's processing is dead-lettered by the handler; anything escaping it is
            // infrastructure, and the thread is replaced rather than the stage silently stopping.
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("application {} thread failed; replacing it", app.name(), e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && before == KafkaStreams.State.REBALANCING) {
                    allRunning.countDown();
                }
            });
            streams.start();
            started.add(streams);
        }
        return new StageRunner(started, allRunning);
    }

    /** Waits until every application is RUNNING; false when the deadline passed first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return allRunning.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The running applications, in the order they were given (for interactive queries). */
    public List<KafkaStreams> streams() {
        return List.copyOf(running);
    }

    /** How many stream tasks (input partitions' worth of work) this process runs right now. */
    public int activeTaskCount() {
        return running.stream().mapToInt(streams -> streams.metadataForLocalThreads().stream()
                .mapToInt(thread -> thread.activeTasks().size()).sum()).sum();
    }

    /**
     * One RocksDB property metric of Kafka Streams' {@code stream-state-metrics} group (such as
     * {@code total-sst-files-size} or {@code estimate-live-data-size}), summed over tasks and threads, by
     * store name. Empty when the metric is not recorded (a store that is not RocksDB).
     */
    public Map<String, Long> storeMetric(String name) {
        Map<String, Long> byStore = new java.util.TreeMap<>();
        for (KafkaStreams streams : running) {
            streams.metrics().forEach((metricName, metric) -> {
                if (!metricName.group().equals("stream-state-metrics") || !metricName.name().equals(name)
                        || !(metric.metricValue() instanceof Number value)) {
                    return;
                }
                String store = metricName.tags().entrySet().stream().filter(t -> t.getKey().endsWith("-state-id"))
                        .map(Map.Entry::getValue).findFirst().orElse("?");
                byStore.merge(store, value.longValue(), Long::sum);
            });
        }
        return byStore;
    }

    @Override
    public void close() {
        for (KafkaStreams streams : running) {
            // Leave the group: a stopped instance's partitions move to the others at once instead of
            // after the session timeout (45 s of undecided events). A quick restart pays one extra
            // rebalance for it; with exactly-once the handover neither loses nor repeats a decision.
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    static Properties properties(String appName, KafkaConnection connection, Path stateDir,
                                 SchemaRegistryClient registry) {
        Properties p = new Properties();
        p.putAll(connection.clientOverrides());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, connection.topicPrefix() + appName);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        // A crash must never duplicate or drop a decision (or, later, a chain entry).
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(appName).toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        p.put(DeadLetterHandler.TOPIC_CONFIG, ClawTopic.DEADLETTER.topicName(connection.topicPrefix()));
        p.put(DeadLetterHandler.STAGE_CONFIG, appName);
        p.put(DeadLetterHandler.REGISTRY_CLIENT_CONFIG, registry);
        p.put(RestSchemaRegistryClient.URL_CONFIG, connection.registryUrl());
        return p;
    }
}
