package dev.clawstream.topology.cli;

import dev.clawstream.topology.Stage;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.SchemaProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.topology.pipeline.PipelineSettings;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.pipeline.TrustDirectory;
import dev.clawstream.topology.web.WebStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code clawstream run}: the pipeline against a Kafka cluster and schema registry you operate. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run pipeline stages against your own Kafka and schema registry.",
                "Creates missing topics and registers the value schemas first (unless told not to)."})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connectionOptions;

    @Option(names = "--stages", split = ",", paramLabel = "STAGE",
            description = "Stages to run in this process: ${COMPLETION-CANDIDATES} (default: every stage in this build).")
    List<Stage> stages;

    @Option(names = "--partitions", description = "Partitions of topics created here (default: the broker's).")
    Optional<Integer> partitions;

    @Option(names = "--replication", description = "Replication factor of topics created here (default: the broker's).")
    Optional<Short> replication;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create missing topics at start (default: on; --no-create-topics when your "
                    + "platform team owns topic creation).")
    boolean createTopics;

    @Option(names = "--provision-only",
            description = "Create topics and register schemas, then exit without running any stage.")
    boolean provisionOnly;

    @Option(names = "--trust-dir", defaultValue = "${env:CLAWSTREAM_TRUST_DIR:-trust}", paramLabel = "DIR",
            description = "Trusted public keys: DIR/publishers, DIR/issuers, DIR/gateways (*.pub.pem; default: ${DEFAULT-VALUE}).")
    Path trustDir;

    @Option(names = "--state-dir", defaultValue = ".clawstream/streams", paramLabel = "DIR",
            description = "Local state of the stages (RocksDB), rebuilt from Kafka when lost (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Mixin
    AlertRulesOption alertRules;

    @Mixin
    BundlerKeyOption bundlerKey;

    @Option(names = "--web", description = {"Also run the viewer and serve Trust Pulse and the live view "
            + "(--web-port, --web-bind, --web-token-file). Run it in one instance per prefix: the viewer's stores "
            + "hold the partitions of the instance that serves them."})
    boolean withWeb;

    @Mixin
    WebOptions web;

    @Option(names = "--stream-threads", defaultValue = "1", paramLabel = "N",
            description = "Stream threads per stage application (num.stream.threads; default: ${DEFAULT-VALUE}). "
                    + "The enforcer is CPU-bound on receipt signatures: up to one per core helps.")
    int streamThreads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<Stage> selected = stages == null ? EnumSet.noneOf(Stage.class) : EnumSet.copyOf(stages);
        if (stages == null) {
            selected.addAll(Stage.available());
        }
        for (Stage stage : selected) {
            if (!stage.inThisBuild()) {
                throw new ParameterException(spec.commandLine(), "stage '" + stage.cliName()
                        + "' is not in this build yet");
            }
        }
        KafkaConnection connection = connectionOptions.connection();
        try (Admin admin = Admin.create(connection.adminProperties())) {
            String cluster = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            out.println("Connected to Kafka cluster " + cluster + " at " + connection.bootstrapServers());
            if (createTopics) {
                List<String> created = new TopicProvisioner(admin, connection.topicPrefix())
                        .createAll(partitions, replication);
                out.println("Topics created: " + (created.isEmpty() ? "none (all present)" : created));
            }
        }
        var subjects = SchemaProvisioner.registerAll(connection.registryClient(), connection.topicPrefix());
        out.println("Value schemas registered at " + connection.registryUrl() + ": " + subjects.size());
        if (provisionOnly || selected.isEmpty()) {
            out.println("Topics and schemas are ready; no stage started.");
            return 0;
        }
        if (withWeb) {
            Ports.requireFree(web.port, "Trust Pulse web server", "--web-port");
        }
        ShutdownSignal signal = ShutdownSignal.install(System.err);
        Properties overrides = new Properties();
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, String.valueOf(streamThreads));
        PipelineSettings settings = PipelineSettings.withDefaults(TrustDirectory.load(trustDir))
                .withAlertRules(alertRules.load(spec.commandLine().getErr()));
        Optional<Signer> sealingKey = bundlerKey.load();
        if (sealingKey.isPresent()) {
            settings = settings.withBundlerKey(sealingKey.get());
        } else if (selected.contains(Stage.BUNDLER)) {
            throw new InvalidInputException("the bundler stage seals bundles with its own key: give --bundler-key FILE "
                    + "or --bundler-key-env VAR (./clawstream keys generate --out keys --name bundler), or leave "
                    + "bundler out of --stages");
        }
        try (StageRunner stages = StageRunner.start(selected, connection, stateDir.toAbsolutePath(), settings,
                overrides);
             WebStack webStack = !withWeb ? null : WebStack.start(connection, connection.registryClient(),
                     stateDir.toAbsolutePath(), settings.trust().publishers(), web.settings(sealingKey),
                     WebStack.DEFAULT_RETENTION)) {
            if (!stages.awaitRunning(Duration.ofSeconds(120))
                    || (webStack != null && !webStack.awaitRunning(Duration.ofSeconds(120)))) {
                throw new IllegalStateException("stages " + selected + " not running after 120 s");
            }
            if (webStack != null) {
                out.println("Trust Pulse at " + webStack.url() + " (live view: " + webStack.url() + "#/live)");
            }
            out.println("Running " + selected.stream().map(Stage::cliName).toList() + ". Press Ctrl-C to stop.");
            out.flush();
            signal.await();
        }
        out.println("Stopped cleanly.");
        return 0;
    }
}
