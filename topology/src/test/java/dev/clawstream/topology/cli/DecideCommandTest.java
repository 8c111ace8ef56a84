package dev.clawstream.topology.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DecideCommandTest {

    private static final String WPC = """
            {"name": "reference", "default": "deny",
             "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443]}]},
             "allowed": {"providers": ["openrouter"], "models": ["openrouter:openai/gpt-4o-mini"]}}
            """;

    @TempDir
    Path dir;

    @Test
    void decidesEveryLineInInputOrderAndDeniesWhatItCannotRead() throws Exception {
        Path wpc = Files.writeString(dir.resolve("wpc.json"), WPC);

        List<String> lines = decide(String.join("\n",
                "{\"url\":\"https://api.openai.com/v1/chat\"}",
                "{\"url\":\"https://attacker.com/collect\"}",
                "not json",
                "{\"host\":\"api.openai.com\",\"port\":443,\"ip\":\"169.254.169.254\"}",
                "{\"provider\":\"openrouter\",\"model\":\"openai/gpt-4o\"}",
                "{\"tool\":\"http_get\"}"), "decide", "--wpc", wpc.toString());

        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).contains("\"verdict\":\"ALLOW\"", "\"reason\":\"ALLOWED_DOMAIN\"",
                "\"matched_rule\":\"/allow/domains/0\"", "\"wpc_hash\":\"sha256:");
        assertThat(lines.get(1)).contains("\"verdict\":\"DENY\"", "\"reason\":\"DEFAULT_DENY\"");
        assertThat(lines.get(2)).contains("\"verdict\":\"DENY\"", "\"reason\":\"INVALID_DESTINATION\"", "not JSON");
        assertThat(lines.get(3)).contains("\"reason\":\"SPECIAL_PURPOSE_IP\"", "resolved IP 169.254.169.254");
        assertThat(lines.get(4)).contains("\"reason\":\"MODEL_NOT_ALLOWED\"");
        assertThat(lines.get(5)).contains("\"reason\":\"INVALID_DESTINATION\"", "no url, host or model");
    }

    @Test
    void withATokenTheAgentAndRevocationDecide() throws Exception {
        Path wpc = Files.writeString(dir.resolve("wpc.json"), WPC);
        Path keys = dir.resolve("keys");
        assertThat(run(null, "keys", "generate", "--out", keys.toString(), "--name", "issuer")).isZero();
        String hash = runOut("wpc", "hash", wpc.toString()).trim();
        Path token = dir.resolve("token.json");
        assertThat(run(null, "cst", "issue", "--job", "job-1", "--agent", "agent-1", "--pin", hash,
                "--key", keys.resolve("issuer.key.pem").toString(), "--out", token.toString())).isZero();

        List<String> lines = decide("{\"url\":\"https://api.openai.com/\",\"agent\":\"agent-1\"}\n"
                        + "{\"url\":\"https://api.openai.com/\",\"agent\":\"agent-2\"}",
                "decide", "--wpc", wpc.toString(), "--cst", token.toString(), "--issuers", keys.toString());
        assertThat(lines.get(0)).contains("\"reason\":\"ALLOWED_DOMAIN\"");
        assertThat(lines.get(1)).contains("\"reason\":\"CST_AGENT_MISMATCH\"");

        Path revoked = dir.resolve("revoked.json");
        assertThat(run(null, "cst", "revoke", "--token", token.toString(), "--key",
                keys.resolve("issuer.key.pem").toString(), "--out", revoked.toString())).isZero();
        assertThat(decide("{\"url\":\"https://api.openai.com/\",\"agent\":\"agent-1\"}", "decide", "--wpc",
                wpc.toString(), "--cst", revoked.toString(), "--issuers", keys.toString()).get(0))
                .contains("\"reason\":\"CST_REVOKED\"");
    }

    @Test
    void composesTheLayersItIsGivenAndRefusesAWpcWhoseLayerIsMissing() throws Exception {
        Path org = Files.writeString(dir.resolve("org.json"), """
                {"name": "org", "default": "deny", "mode": "monitor",
                 "allow": {"domains": ["api.openai.com", "pypi.org"]}, "deny": {"domains": ["paste.example.net"]}}
                """);
        String orgHash = runOut("wpc", "hash", org.toString()).trim();
        Path agent = Files.writeString(dir.resolve("agent.json"), """
                {"name": "agent", "default": "deny", "mode": "monitor", "extends": ["%s"],
                 "allow": {"domains": ["api.openai.com"]}}
                """.formatted(orgHash));

        List<String> lines = decide("{\"url\":\"https://api.openai.com/\"}\n{\"url\":\"https://pypi.org/\"}\n"
                + "{\"url\":\"https://paste.example.net/\"}\n"
                + "{\"url\":\"https://cdn.example.org/x\",\"redirect_from\":\"https://api.openai.com/r\"}",
                "decide", "--wpc", agent.toString(), "--layer", org.toString());

        assertThat(lines.get(0)).contains("\"reason\":\"ALLOWED_DOMAIN\"", "\"policy_hash\":\"sha256:",
                "\"wpc_layer_hashes\":[\"" + orgHash + "\"");
        assertThat(lines.get(1)).contains("\"verdict\":\"ALLOW\"", "\"reason\":\"MONITOR_MODE\"",
                "\"would_be_verdict\":\"DENY\"", "\"would_be_reason\":\"DEFAULT_DENY\"");
        assertThat(lines.get(2)).contains("\"verdict\":\"DENY\"", "\"reason\":\"DENIED_DOMAIN\"");
        assertThat(lines.get(3)).contains("\"reason\":\"MONITOR_MODE\"", "\"redirect_source_verdict\":\"ALLOW\"");
        StringWriter out = new StringWriter();
        assertThat(run("", out, "decide", "--wpc", agent.toString())).isNotZero();
    }

    private List<String> decide(String stdin, String... args) {
        StringWriter out = new StringWriter();
        int exit = run(stdin, out, args);
        assertThat(exit).isZero();
        return out.toString().lines().toList();
    }

    private String runOut(String... args) {
        StringWriter out = new StringWriter();
        assertThat(run(null, out, args)).isZero();
        return out.toString();
    }

    private int run(String stdin, String... args) {
        return run(stdin, new StringWriter(), args);
    }

    private static synchronized int run(String stdin, StringWriter out, String... args) {
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = ClawstreamCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(new StringWriter(), true));
            return cli.execute(args);
        } finally {
            System.setIn(original);
        }
    }
}
