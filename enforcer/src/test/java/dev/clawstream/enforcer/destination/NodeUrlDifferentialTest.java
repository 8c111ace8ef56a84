package dev.clawstream.enforcer.destination;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.Unparseable;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Differential check against a real WHATWG URL parser: Node.js's built-in {@code URL}. For every
 * input of the adversarial corpus, a URL Node refuses must never be a destination to us (accepting
 * what a client refuses is the dangerous direction), and where both accept, the hosts must be equal.
 * We may refuse more than Node (AMBIGUOUS), which is counted but allowed; a host's trailing dot is
 * dropped on our side (same DNS name). Skipped where node is not installed.
 */
class NodeUrlDifferentialTest {

    private static final String NODE_SCRIPT = """
            const lines = require('fs').readFileSync(0, 'utf8').split('\\n').filter(l => l.length);
            for (const l of lines) {
              const input = JSON.parse(l);
              try { const u = new URL(input); console.log(JSON.stringify({ok: true, host: u.hostname, port: u.port})); }
              catch (e) { console.log(JSON.stringify({ok: false})); }
            }
            """;

    @Test
    void weNeverAcceptWhatNodesWhatwgParserRefusesAndAgreeOnHosts() throws Exception {
        assumeTrue(nodeAvailable(), "node not installed");
        List<String> inputs = corpus();
        List<JsonNode> node = runNode(inputs);
        List<String> disagreements = new ArrayList<>();
        int stricter = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            ParsedDestination ours = DestinationParser.parseUrl(input);
            boolean nodeOk = node.get(i).path("ok").asBoolean();
            String scheme = input.contains(":") ? input.substring(0, input.indexOf(':')).toLowerCase() : "";
            boolean special = List.of("http", "https", "ws", "wss", "ftp").contains(scheme);
            if (ours instanceof EgressDestination d) {
                // We drop a host's trailing dot (the same DNS name); node keeps it.
                String nodeHost = node.get(i).path("host").asText().replaceAll("\\.$", "");
                if (!nodeOk) {
                    disagreements.add(input + ": we read " + d + ", node refuses it");
                } else if (!d.host().toString().equals(nodeHost)) {
                    disagreements.add(input + ": host " + d.host() + ", node says " + nodeHost);
                }
            } else if (nodeOk && special && ((Unparseable) ours).kind() == Unparseable.Kind.AMBIGUOUS) {
                stricter++;
            } else if (nodeOk && special) {
                disagreements.add(input + ": we say INVALID (" + ((Unparseable) ours).reason() + "), node accepts");
            }
        }
        System.out.printf("node differential: %d inputs, %d refused as AMBIGUOUS though node accepts them%n",
                inputs.size(), stricter);
        assertThat(disagreements).isEmpty();
    }

    private static List<JsonNode> runNode(List<String> inputs) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        Process p = new ProcessBuilder("node", "-e", NODE_SCRIPT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
            for (String input : inputs) {
                in.write((json.writeValueAsString(input) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        List<JsonNode> results = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                results.add(json.readTree(line));
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(results).hasSize(inputs.size());
        return results;
    }

    private static List<String> corpus() throws IOException {
        List<String> inputs = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                NodeUrlDifferentialTest.class.getResourceAsStream("/adversarial-destinations.tsv")), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("#") && line.contains("\t")) {
                    inputs.add(line.split("\t", -1)[0]);
                }
            }
        }
        return inputs;
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
