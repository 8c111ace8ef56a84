package dev.clawstream.topology.cli;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.demo.DemoPlayer;
import dev.clawstream.topology.demo.DemoStory;
import dev.clawstream.topology.embedded.EmbeddedStack;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.SchemaProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.pipeline.PipelineSettings;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.pipeline.TrustDirectory;
import dev.clawstream.topology.view.JobSummary;
import dev.clawstream.topology.web.WebStack;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code clawstream demo}: the whole product in one command. Starts the embedded stack, generates its
 * own keys (and says so), publishes a WPC, issues tokens, plays a story of normal work and the seeds'
 * attacks, waits for every job's bundle to seal, exports one and verifies it with the very command it
 * prints, and serves Trust Pulse until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start everything on this machine, play a story of an agent fleet under attack, seal and verify",
                "its proof bundles, and serve Trust Pulse and the live view until Ctrl-C.",
                "Keys are generated for the demo and kept under --data-dir with everything else."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration SEALED = Duration.ofSeconds(120);
    /** Marks a data directory as the demo's own, so a re-run may wipe it and nothing else. */
    private static final String MARKER = ".clawstream-demo";

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".clawstream-demo",
            description = "The demo's broker data, keys and exported bundles; wiped at the start of each demo run "
                    + "(default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--prefix", defaultValue = ClawTopic.DEFAULT_PREFIX, description = "Topic name prefix (default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--exit", description = "Stop once the story is told and the bundle verified (exit 0 when it verifies).")
    boolean exitWhenDone;

    @Mixin
    WebOptions web;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Path data = dataDir.toAbsolutePath().normalize();
        freshDataDir(data, out);
        Ports.requireFree(web.port, "Trust Pulse web server", "--web-port");
        ShutdownSignal signal = exitWhenDone ? null : ShutdownSignal.install(System.err);

        Path keys = data.resolve("keys");
        Signer publisher = generate(keys, "publisher", data.resolve("trust/publishers"));
        Signer issuer = generate(keys, "issuer", data.resolve("trust/issuers"));
        Signer gateway = generate(keys, "gateway", data.resolve("trust/gateways"));
        Signer bundler = generate(keys, "bundler", null);
        out.println("demo: generated demo-only Ed25519 keys (WPC publisher, token issuer, LLM gateway, bundler) in " + keys);
        out.println("demo: starting a Kafka broker, the schema registry, the enforcer, alerter, bundler and Trust Pulse ...");
        out.flush();

        try (EmbeddedStack stack = EmbeddedStack.start(data, 0, 0, Optional.empty())) {
            KafkaConnection connection = new KafkaConnection(stack.bootstrapServers(), stack.registryUrl(), prefix);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                new TopicProvisioner(admin, prefix).createAll(Optional.of(3), Optional.of((short) 1));
            }
            SchemaProvisioner.registerAll(connection.registryClient(), prefix);
            PipelineSettings defaults = PipelineSettings.withDefaults(TrustDirectory.load(data.resolve("trust")))
                    .withBundlerKey(bundler);
            PipelineSettings settings = defaults.withAlertRules(DemoStory.alertRules(defaults.alertRules()));
            try (StageRunner stages = StageRunner.start(Stage.available(), connection, data.resolve("streams"), settings,
                    new Properties());
                 WebStack webStack = WebStack.start(connection, connection.registryClient(), data.resolve("streams"),
                         settings.trust().publishers(), web.settings(Optional.of(bundler)), WebStack.DEFAULT_RETENTION)) {
                if (!stages.awaitRunning(READY) || !webStack.awaitRunning(READY)) {
                    throw new IllegalStateException("pipeline not running after " + READY.toSeconds() + " s");
                }
                out.printf("demo: up in %.1f s; Trust Pulse at %s%n", (System.nanoTime() - started) / 1e9, webStack.url());
                out.flush();

                String runId = Long.toString(Instant.now().getEpochSecond() % 1_000_000, 36);
                DemoStory story = new DemoStory(publisher, issuer, gateway, Clock.systemUTC(), runId);
                List<JobSummary> sealed = DemoPlayer.play(connection, webStack.queries(), story, out);
                out.println("demo: sealed proof bundles:");
                for (JobSummary job : sealed) {
                    out.printf("        %-24s %-14s %4d entries, %3d allowed, %3d denied, %d receipts%n", job.jobId(),
                            job.agentId(), job.entryCount(), job.allowed(), job.denied(), job.receipts());
                }
                Map<String, Integer> alertKinds = new TreeMap<>();
                for (Alert alert : webStack.queries().recentAlerts(200)) {
                    alertKinds.merge(alert.getKind().name(), 1, Integer::sum);
                }
                out.println("demo: alerts so far (more may follow as windows close): " + alertKinds);

                int verified = exportAndVerify(out, connection, data, story);
                out.println();
                out.println("Trust Pulse:  " + webStack.url() + "   (jobs, bundles verified in your browser, policies)");
                out.println("Live view:    " + webStack.url() + "#/live");
                out.println("Alerts:       clawstream alerts tail --bootstrap " + stack.bootstrapServers() + " --registry "
                        + stack.registryUrl());
                out.flush();
                if (exitWhenDone) {
                    return verified;
                }
                out.println("Press Ctrl-C to stop.");
                out.flush();
                signal.await();
                out.println("Stopping.");
                out.flush();
            }
        }
        return 0;
    }

    /** Exports the research job's full bundle and runs the printed {@code clawstream verify} on it, in-process. */
    private int exportAndVerify(PrintWriter out, KafkaConnection connection, Path data, DemoStory story)
            throws IOException {
        String job = story.jobId(DemoStory.RESEARCH);
        Path bundles = data.resolve("bundles");
        Path wpcFile = data.resolve("policy/fleet.json");
        Files.createDirectories(wpcFile.getParent());
        Files.writeString(wpcFile, story.wpcDocument(), StandardCharsets.UTF_8);
        int exported = run(out, "bundles", "export", "--job", job, "--out", bundles.toString(),
                "--bootstrap", connection.bootstrapServers(), "--registry", connection.registryUrl(), "--prefix", prefix);
        if (exported != 0) {
            return exported;
        }
        String[] verify = {"verify", bundles.resolve(job + ".0.bundle.json").toString(),
                "--key", data.resolve("keys/bundler.pub.pem").toString(), "--wpc", wpcFile.toString(),
                "--gateway-keys", data.resolve("trust/gateways").toString(),
                "--issuers", data.resolve("trust/issuers").toString()};
        out.println("demo: verify it offline (exit 0 = valid):");
        out.println("        ./clawstream " + String.join(" ", verify));
        int code = run(out, verify);
        out.println(code == 0 ? "demo: verified." : "demo: VERIFICATION FAILED (exit " + code + ")");
        return code;
    }

    private int run(PrintWriter out, String... args) {
        StringWriter captured = new StringWriter();
        CommandLine cli = ClawstreamCli.commandLine();
        cli.setOut(new PrintWriter(captured, true));
        cli.setErr(new PrintWriter(captured, true));
        int code = cli.execute(args);
        captured.toString().lines().forEach(line -> out.println("        " + line));
        out.flush();
        return code;
    }

    private static Signer generate(Path keys, String name, Path trustDir) throws IOException {
        Signer signer = Keys.generate();
        Keys.write(signer, keys, name);
        if (trustDir != null) {
            Files.createDirectories(trustDir);
            Files.copy(keys.resolve(name + ".pub.pem"), trustDir.resolve(name + ".pub.pem"));
        }
        return signer;
    }

    /** Starts from nothing: wipes a previous demo's directory (only one carrying the demo's marker). */
    private static void freshDataDir(Path data, PrintWriter out) throws IOException {
        if (Files.exists(data)) {
            if (!Files.exists(data.resolve(MARKER))) {
                try (var entries = Files.list(data)) {
                    if (entries.findAny().isPresent()) {
                        throw new InvalidInputException(data + " exists and is not a previous demo's directory; "
                                + "give another --data-dir");
                    }
                }
            } else {
                out.println("demo: removing the previous demo run in " + data);
                Directories.deleteTree(data);
            }
        }
        Files.createDirectories(data);
        Files.writeString(data.resolve(MARKER), "clawstream demo data; `clawstream demo` wipes this directory\n");
    }
}
