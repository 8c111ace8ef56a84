package dev.clawstream.topology.pipeline;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.cst.Cst;
import dev.clawstream.enforcer.cst.CstRecords;
import dev.clawstream.enforcer.receipt.ReceiptSignature;
import dev.clawstream.schemas.CstRecord;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.json.AvroJson;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.cli.CliSession;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job from start to proof, the way a compliance team meets it: the enforcer decides a job's events
 * and receipt, the job closes, the bundler seals its bundle; {@code bundles export} pulls it from Kafka,
 * {@code verify} checks it offline (re-deciding every decision under the WPC), one entry is proven with
 * {@code prove}/{@code verify-proof}, the redacted Trust Pulse copy verifies against the same key, and a
 * tampered copy is refused.
 */
class BundlerStageIT {

    private static final String PREFIX = "bundle.";
    private static final CliSession CLI = CliSession.offline();

    @TempDir
    Path dir;

    @Test
    void aClosedJobIsSealedExportedAndVerifiedOffline() throws Exception {
        Path trust = dir.resolve("trust");
        Path keys = dir.resolve("keys");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"name": "triage", "version": "1", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
                 "allowed": {"providers": ["openai"], "models": ["openai:gpt-4o-mini"]},
                 "data_handling": {"redact": ["method"]}}""");
        CLI.run("keys", "generate", "--out", trust.resolve("publishers").toString(), "--name", "publisher");
        CLI.run("keys", "generate", "--out", trust.resolve("issuers").toString(), "--name", "issuer");
        CLI.run("keys", "generate", "--out", trust.resolve("gateways").toString(), "--name", "gateway");
        CLI.run("keys", "generate", "--out", keys.toString(), "--name", "bundler");
        Signer gateway = Keys.readPrivateKey(trust.resolve("gateways/gateway.key.pem"));

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            CliSession cli = CliSession.against(broker.bootstrapServers(), registryServer.url(), PREFIX);
            cli.kafka("topics", "create", "--partitions", "2");
            cli.kafka("wpc", "publish", policy.toString(),
                    "--key", trust.resolve("publishers/publisher.key.pem").toString());
            Path tokenFile = dir.resolve("token.json");
            CLI.run("cst", "issue", "--job", "job-1", "--agent", "agent-1", "--wpc-name", "triage",
                    "--key", trust.resolve("issuers/issuer.key.pem").toString(), "--out", tokenFile.toString());
            cli.kafka("publish", "cst.bindings", "--input", tokenFile.toString());
            Cst token = CstRecords.fromRecord(AvroJson.fromJson(Files.readString(tokenFile).trim(), CstRecord.class));

            PipelineSettings settings = PipelineSettings.withDefaults(TrustDirectory.load(trust))
                    .withBundlerKey(Keys.readPrivateKey(keys.resolve("bundler.key.pem")));
            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER, Stage.BUNDLER), connection,
                    dir.resolve("streams"), settings, new Properties())) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Instant now = Instant.now();
                Path events = dir.resolve("events.jsonl");
                Files.writeString(events, String.join("\n",
                        event("e-1", now, "https://api.openai.com/v1/chat/completions"),
                        event("e-2", now.plusMillis(1), "https://attacker.com/collect")) + "\n");
                cli.kafka("publish", "egress.events", "--input", events.toString());
                GatewayReceipt receipt = ReceiptSignature.sign(gateway, GatewayReceipt.newBuilder()
                        .setReceiptId("r-1").setTime(now.plusMillis(2)).setAgentId("agent-1").setJobId("job-1")
                        .setProvider("openai").setModelId("gpt-4o-mini").setRequestSha256("aa".repeat(32))
                        .setResponseSha256("bb".repeat(32)).setCstScopeHash(token.scopeHash().toString())
                        .setGatewayKeyId("").setSignature(ByteBuffer.allocate(0)).build());
                Path receipts = dir.resolve("receipts.jsonl");
                Files.writeString(receipts, AvroJson.toJsonLine(receipt) + "\n");
                cli.kafka("publish", "gateway.receipts", "--input", receipts.toString());
                // Close the job only once its three decisions are out, so the close follows them in the chain.
                String decided = "";
                for (int n = 1; n <= 3; n++) {
                    decided = cli.kafka("tail", "egress.decisions", "--from-beginning", "--max",
                            String.valueOf(n), "--timeout", "60");
                }
                assertThat(decided.lines()).hasSize(3);
                Path close = dir.resolve("close.jsonl");
                Files.writeString(close, "{\"job_id\":\"job-1\",\"type\":\"CLOSED\",\"time\":\"" + now.plusSeconds(1)
                        + "\",\"reason\":\"done\"}\n");
                cli.kafka("publish", "jobs.lifecycle", "--input", close.toString());

                Path exported = dir.resolve("export");
                // Right after the close, as an operator would: --wait covers the seal's wait for stragglers.
                String listing = cli.kafka("bundles", "export", "--job", "job-1", "--out", exported.toString(),
                        "--wait", "90s");
                assertThat(listing).contains("segment 0 (final)").contains("(JOB_CLOSED)");
                Path bundle = exported.resolve("job-1.0.bundle.json");
                String pub = keys.resolve("bundler.pub.pem").toString();

                String verified = CLI.run("verify", bundle.toString(), "--key", pub, "--wpc", policy.toString(),
                        "--gateway-keys", trust.resolve("gateways").toString());
                assertThat(verified).contains("VALID: job job-1").contains("every decision re-decided")
                        .contains("receipt signatures");
                // header, 3 decisions, the receipt, close
                assertThat(verified).contains(" 6 entries");
                assertThat(verified).contains("not checked: tokens");
                // The enforcer attached the job's token to its first decision: every token outcome is re-decided.
                assertThat(CLI.run("verify", bundle.toString(), "--key", pub, "--issuers",
                        trust.resolve("issuers").toString()))
                        .contains("tokens: 3 of 3 decisions' token outcomes re-decided").doesNotContain("not checked: tokens");

                Path proof = dir.resolve("entry-2.tlog-proof");
                CLI.run("prove", "--bundle", bundle.toString(), "--entry", "2", "--out", proof.toString());
                assertThat(CLI.run("verify-proof", proof.toString(), "--key", pub, "--job", "job-1"))
                        .contains("VALID: entry 2").contains("\"decision_id\":\"d-e-2\"")
                        // A proof is shared with others: it shows the entry as committed, destinations hidden.
                        .doesNotContain("attacker.com");

                Path redacted = dir.resolve("redacted");
                cli.kafka("bundles", "export", "--job", "job-1", "--out", redacted.toString(),
                        "--redacted");
                String redactedText = Files.readString(redacted.resolve("job-1.0.bundle.json"));
                assertThat(redactedText).doesNotContain("attacker.com");
                assertThat(CLI.run("verify", redacted.resolve("job-1.0.bundle.json").toString(), "--key", pub))
                        .contains("VALID").contains("(redacted copy)");

                Path tampered = dir.resolve("tampered.bundle.json");
                Files.writeString(tampered, Files.readString(bundle).replace("\"DENY\"", "\"ALLOW\""));
                CliSession.Result refused = CLI.execute("verify", tampered.toString(), "--key", pub);
                assertThat(refused.exit()).isEqualTo(2);
                assertThat(refused.err()).startsWith("INVALID: ");
            }
        }
    }

    private static String event(String id, Instant time, String url) {
        return "{\"event_id\":\"" + id + "\",\"time\":\"" + time + "\",\"agent_id\":\"agent-1\",\"job_id\":\"job-1\","
                + "\"sidecar_id\":\"envoy\",\"url\":\"" + url + "\",\"method\":\"POST\"}";
    }

}
