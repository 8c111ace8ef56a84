package dev.clawstream.topology.cli;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.embedded.EmbeddedStack;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.SchemaProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.pipeline.PipelineSettings;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.pipeline.TrustDirectory;
import dev.clawstream.topology.web.WebStack;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;

/** {@code clawstream up}: the whole stack on this machine, from Maven artifacts alone. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a real single-node Kafka broker (KRaft), the schema registry, the topics, every "
                + "pipeline stage in this build and Trust Pulse (http://localhost:8080/); run until Ctrl-C.",
                "Data is kept under --data-dir, so a restart keeps every topic, schema id and offset."})
final class UpCommand implements Callable<Integer> {

    private static final java.time.Duration STAGES_READY = java.time.Duration.ofSeconds(90);

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".clawstream",
            description = "Where the broker keeps its data (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port on localhost (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Embedded schema registry port on localhost (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--registry", paramLabel = "URL",
            description = "Use this schema registry instead of starting the embedded one.")
    Optional<String> externalRegistry;

    @Option(names = "--prefix", defaultValue = ClawTopic.DEFAULT_PREFIX,
            description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--trust-dir", paramLabel = "DIR",
            description = "Trusted public keys: DIR/publishers, DIR/issuers, DIR/gateways (*.pub.pem). "
                    + "Default: DATA-DIR/trust. Without keys every WPC, token and receipt is refused.")
    Path trustDir;

    @Option(names = "--partitions", defaultValue = "3",
            description = "Partitions of each topic created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Mixin
    AlertRulesOption alertRules;

    @Mixin
    BundlerKeyOption bundlerKey;

    @Mixin
    WebOptions web;

    @Option(names = "--no-web", description = "Do not start the viewer and Trust Pulse.")
    boolean noWeb;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Ports.requireFree(kafkaPort, "Kafka broker", "--kafka-port");
        if (externalRegistry.isEmpty()) {
            Ports.requireFree(registryPort, "schema registry", "--registry-port");
        }
        if (!noWeb) {
            Ports.requireFree(web.port, "Trust Pulse web server", "--web-port");
        }
        ShutdownSignal signal = ShutdownSignal.install(System.err);
        Path data = dataDir.toAbsolutePath().normalize();
        try (EmbeddedStack stack = EmbeddedStack.start(data, kafkaPort, registryPort, externalRegistry)) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl(), prefix);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                // One broker: replication factor 1 is the only one it can host.
                new TopicProvisioner(admin, prefix).createAll(Optional.of(partitions), Optional.of((short) 1));
            }
            var subjects = SchemaProvisioner.registerAll(connection.registryClient(), prefix);
            Path trust = trustDir != null ? trustDir : data.resolve("trust");
            PipelineSettings settings = PipelineSettings.withDefaults(TrustDirectory.load(trust))
                    .withAlertRules(alertRules.load(spec.commandLine().getErr()))
                    .withBundlerKey(bundlerKey.loadOrGenerate(data.resolve("keys"), out));
            try (StageRunner stages = StageRunner.start(Stage.available(), connection, data.resolve("streams"), settings,
                    new Properties());
                 WebStack webStack = noWeb ? null : WebStack.start(connection, connection.registryClient(),
                         data.resolve("streams"), settings.trust().publishers(), web.settings(settings.bundlerKey()),
                         WebStack.DEFAULT_RETENTION)) {
                if (!stages.awaitRunning(STAGES_READY) || (webStack != null && !webStack.awaitRunning(STAGES_READY))) {
                    throw new IllegalStateException("pipeline stages not running after " + STAGES_READY.toSeconds() + " s");
                }
                double seconds = (System.nanoTime() - started) / 1e9;

                out.println("Clawstream is up (ready in " + String.format("%.1f", seconds) + " s).");
                out.println("  Kafka bootstrap:  " + stack.bootstrapServers());
                out.println("  Schema registry:  " + stack.registryUrl()
                        + (externalRegistry.isPresent() ? " (yours)" : " (embedded, state in topic _schemas)"));
                out.println("  Data directory:   " + data);
                out.println("  Topics:           " + ClawTopic.values().length + " under prefix '" + prefix + "', "
                        + subjects.size() + " value schemas registered");
                out.println("  Stages running:   " + (Stage.available().isEmpty() ? "none in this build yet"
                        : Stage.available().stream().map(Stage::cliName).toList()));
                out.println("  Trusted keys:     " + trust);
                out.println("  Trust Pulse:      " + (webStack == null ? "off (--no-web)" : webStack.url()
                        + " (live view: " + webStack.url() + "#/live)"));
                out.println("Press Ctrl-C to stop.");
                out.flush();
                signal.await();
                out.println("Stopping: stages, registry, broker.");
                out.flush();
            }
        }
        out.println("Stopped cleanly.");
        out.flush();
        return 0;
    }
}
