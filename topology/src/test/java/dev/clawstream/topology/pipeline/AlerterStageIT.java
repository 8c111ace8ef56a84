package dev.clawstream.topology.pipeline;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.cli.ClawstreamCli;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The enforcer and the alerter as {@code up} runs them, on the real broker: a job's agent tries a
 * {@code .xyz} host and a sidecar lets an exfiltration through that policy denies; {@code alerts tail}
 * shows both alerts, keyed by the agent.
 */
class AlerterStageIT {

    private static final String PREFIX = "alert.";

    @TempDir
    Path dir;

    @Test
    void suspiciousDestinationsAndASidecarBypassBecomeAlerts() throws Exception {
        Path trust = dir.resolve("trust");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"name": "triage", "version": "1", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]}}""");
        cli("keys", "generate", "--out", trust.resolve("publishers").toString(), "--name", "publisher");
        cli("keys", "generate", "--out", trust.resolve("issuers").toString(), "--name", "issuer");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            String[] to = {"--bootstrap", broker.bootstrapServers(), "--registry", registryServer.url(), "--prefix", PREFIX};
            cli(concat(new String[]{"topics", "create", "--partitions", "2"}, to));
            cli(concat(new String[]{"wpc", "publish", policy.toString(),
                    "--key", trust.resolve("publishers/publisher.key.pem").toString()}, to));
            Path token = dir.resolve("token.json");
            cli("cst", "issue", "--job", "job-1", "--agent", "agent-1", "--wpc-name", "triage",
                    "--key", trust.resolve("issuers/issuer.key.pem").toString(), "--out", token.toString());
            cli(concat(new String[]{"publish", "cst.bindings", "--input", token.toString()}, to));

            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER, Stage.ALERTER), connection,
                    dir.resolve("streams"), PipelineSettings.withDefaults(TrustDirectory.load(trust)), new Properties())) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Path events = dir.resolve("events.jsonl");
                Instant now = Instant.now();
                Files.writeString(events, String.join("\n",
                        event("e-1", now, "https://api.openai.com/v1/chat/completions", null),
                        event("e-2", now.plusMillis(1), "https://paste.example-drop.xyz/upload", "DENY"),
                        event("e-3", now.plusMillis(2), "https://attacker.com/collect", "ALLOW")) + "\n");
                cli(concat(new String[]{"publish", "egress.events", "--input", events.toString()}, to));

                // Other rules (first contact) alert too; read alert by alert until both are in.
                String alerts = "";
                for (int n = 1; n <= 12 && !(alerts.contains("SUSPICIOUS_TLD") && alerts.contains("POLICY_BYPASS")); n++) {
                    alerts = cli(concat(new String[]{"alerts", "tail", "--from-beginning", "--max", String.valueOf(n),
                            "--timeout", "90"}, to));
                }
                assertThat(alerts).contains("SUSPICIOUS_TLD").contains("paste.example-drop.xyz");
                assertThat(alerts).contains("POLICY_BYPASS").contains("attacker.com");
                assertThat(alerts.lines()).allMatch(line -> line.contains("agent-1"));
                String json = cli(concat(new String[]{"alerts", "tail", "--from-beginning", "--max", "1", "--json",
                        "--timeout", "30"}, to));
                assertThat(json).startsWith("{\"alert_id\"");
                assertThat(ClawTopic.ALERTS.topicName(PREFIX)).isEqualTo("alert.alerts");
            }
        }
    }

    private static String event(String id, Instant time, String url, String sidecar) {
        return "{\"event_id\":\"" + id + "\",\"time\":\"" + time + "\",\"agent_id\":\"agent-1\",\"job_id\":\"job-1\","
                + "\"sidecar_id\":\"envoy\",\"url\":\"" + url + "\""
                + (sidecar == null ? "" : ",\"sidecar_verdict\":\"" + sidecar + "\"") + "}";
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClawstreamCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        assertThat(exit).as(String.join(" ", args) + " -> " + err).isZero();
        return out.toString();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
