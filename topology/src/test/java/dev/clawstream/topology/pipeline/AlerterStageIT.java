package dev.clawstream.topology.pipeline;

import dev.clawstream.topology.Stage;
import dev.clawstream.topology.cli.CliSession;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    private static final CliSession CLI = CliSession.offline();

    @TempDir
    Path dir;

    @Test
    void suspiciousDestinationsAndASidecarBypassBecomeAlerts() throws Exception {
        Path trust = dir.resolve("trust");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"name": "triage", "version": "1", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]}}""");
        CLI.run("keys", "generate", "--out", trust.resolve("publishers").toString(), "--name", "publisher");
        CLI.run("keys", "generate", "--out", trust.resolve("issuers").toString(), "--name", "issuer");

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            CliSession cli = CliSession.against(broker.bootstrapServers(), registryServer.url(), PREFIX);
            cli.kafka("topics", "create", "--partitions", "2");
            cli.kafka("wpc", "publish", policy.toString(),
                    "--key", trust.resolve("publishers/publisher.key.pem").toString());
            Path token = dir.resolve("token.json");
            CLI.run("cst", "issue", "--job", "job-1", "--agent", "agent-1", "--wpc-name", "triage",
                    "--key", trust.resolve("issuers/issuer.key.pem").toString(), "--out", token.toString());
            cli.kafka("publish", "cst.bindings", "--input", token.toString());

            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER, Stage.ALERTER), connection,
                    dir.resolve("streams"), PipelineSettings.withDefaults(TrustDirectory.load(trust)), new Properties())) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Path events = dir.resolve("events.jsonl");
                Instant now = Instant.now();
                Files.writeString(events, String.join("\n",
                        event("e-1", now, "https://api.openai.com/v1/chat/completions", null),
                        event("e-2", now.plusMillis(1), "https://paste.example-drop.xyz/upload", "DENY"),
                        event("e-3", now.plusMillis(2), "https://attacker.com/collect", "ALLOW")) + "\n");
                cli.kafka("publish", "egress.events", "--input", events.toString());

                // Other rules (first contact) alert too; read alert by alert until both are in.
                String alerts = "";
                for (int n = 1; n <= 12 && !(alerts.contains("SUSPICIOUS_TLD") && alerts.contains("POLICY_BYPASS")); n++) {
                    alerts = cli.kafka("alerts", "tail", "--from-beginning", "--max", String.valueOf(n),
                            "--timeout", "90");
                }
                assertThat(alerts).contains("SUSPICIOUS_TLD").contains("paste.example-drop.xyz");
                assertThat(alerts).contains("POLICY_BYPASS").contains("attacker.com");
                assertThat(alerts.lines()).allMatch(line -> line.contains("agent-1"));
                String json = cli.kafka("alerts", "tail", "--from-beginning", "--max", "1", "--json",
                        "--timeout", "30");
                assertThat(json).startsWith("{\"alert_id\"");
            }
        }
    }

    private static String event(String id, Instant time, String url, String sidecar) {
        return "{\"event_id\":\"" + id + "\",\"time\":\"" + time + "\",\"agent_id\":\"agent-1\",\"job_id\":\"job-1\","
                + "\"sidecar_id\":\"envoy\",\"url\":\"" + url + "\""
                + (sidecar == null ? "" : ",\"sidecar_verdict\":\"" + sidecar + "\"") + "}";
    }

}
