package dev.clawstream.topology.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code egress stats} and {@code egress blocked}: what happened, answered by the running viewer's
 * windowed stores (interactive queries behind the web API of {@code up}), never by rescanning topics.
 */
final class EgressReports {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EgressReports() {
    }

    /** Where the viewer answers, and how far back to look. */
    static final class ViewerOptions {
        @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:CLAWSTREAM_WEB:-http://localhost:8080/}",
                description = "The web server of `up` (default: ${DEFAULT-VALUE}; env CLAWSTREAM_WEB).")
        String url;

        @Option(names = "--last", paramLabel = "DURATION", defaultValue = "24h", converter = HumanDuration.class,
                description = "How far back: 30m, 24h, 7d (default: ${DEFAULT-VALUE}; the viewer keeps 7 days).")
        Duration last;

        @Option(names = "--agent", paramLabel = "A", description = "Only this agent's traffic.")
        Optional<String> agent;

        @Option(names = "--json", description = "The viewer's JSON answer, as is.")
        boolean json;

        JsonNode get(String path, Map<String, String> extra) throws IOException, InterruptedException {
            StringBuilder query = new StringBuilder("last=").append(last.toSeconds()).append("s");
            agent.ifPresent(a -> query.append("&agent=").append(URLEncoder.encode(a, StandardCharsets.UTF_8)));
            extra.forEach((k, v) -> query.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            URI uri = URI.create((url.endsWith("/") ? url : url + "/") + path + "?" + query);
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new InvalidInputException("cannot reach the viewer at " + url + " (" + e.getMessage()
                        + "); is `clawstream up` running? Give its address with --url");
            }
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new InvalidInputException("the viewer answered " + response.statusCode() + ": "
                        + body.path("error").asText(response.body()));
            }
            return body;
        }
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Requests, allowed, denied, bytes out and the top destinations over a period, per agent or fleet-wide.",
                    "Answered by the running viewer's windowed stores (`up`), not by rescanning topics."})
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ViewerOptions viewer;

        @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Destinations listed each way (default: ${DEFAULT-VALUE}).")
        int top;

        @Override
        public Integer call() throws Exception {
            JsonNode stats = viewer.get("api/egress/stats", Map.of("top", Integer.toString(top)));
            PrintWriter out = spec.commandLine().getOut();
            if (viewer.json) {
                out.println(stats);
                return 0;
            }
            JsonNode t = stats.get("totals");
            out.printf("egress %s → %s, %s%n", stats.get("from").asText(), stats.get("to").asText(),
                    viewer.agent.map(a -> "agent " + a).orElse("all agents"));
            out.printf(Locale.ROOT, "  requests %,d   allowed %,d   denied %,d   would deny (monitor mode) %,d   bytes out %s   model calls %,d%n",
                    t.get("requests").asLong(), t.get("allowed").asLong(), t.get("denied").asLong(),
                    t.get("wouldDeny").asLong(), bytes(t.get("bytesOut").asLong()), t.get("modelCalls").asLong());
            destinations(out, "top allowed", stats.get("topAllowed"), "allowed");
            destinations(out, "top denied", stats.get("topDenied"), "denied");
            out.flush();
            return 0;
        }

        private static void destinations(PrintWriter out, String title, JsonNode list, String field) {
            out.println("  " + title + ":" + (list.isEmpty() ? " none" : ""));
            for (JsonNode d : list) {
                out.printf(Locale.ROOT, "    %,8d  %-48s %s%n", d.get(field).asLong(), d.get("destination").asText(),
                        String.join(", ", texts(d.get("agents"))));
            }
        }
    }

    @Command(name = "blocked", mixinStandardHelpOptions = true,
            description = {"Each blocked destination over a period: count, agents, first and last seen, reasons.",
                    "Monitor-mode decisions that enforcing would have blocked are listed too, marked 'would'.",
                    "Answered by the running viewer's windowed stores (`up`), not by rescanning topics."})
    static final class Blocked implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @picocli.CommandLine.Mixin
        ViewerOptions viewer;

        @Override
        public Integer call() throws Exception {
            JsonNode answer = viewer.get("api/egress/blocked", Map.of());
            PrintWriter out = spec.commandLine().getOut();
            if (viewer.json) {
                out.println(answer);
                return 0;
            }
            JsonNode blocked = answer.get("blocked");
            out.printf("blocked %s → %s, %s: %d destination(s)%n", answer.get("from").asText(),
                    answer.get("to").asText(), viewer.agent.map(a -> "agent " + a).orElse("all agents"), blocked.size());
            for (JsonNode d : blocked) {
                long denied = d.get("denied").asLong();
                long would = d.get("wouldDeny").asLong();
                List<String> reasons = new ArrayList<>();
                Iterator<Map.Entry<String, JsonNode>> it = d.get("denyReasons").fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> r = it.next();
                    reasons.add(r.getKey() + " " + r.getValue().asLong());
                }
                out.printf(Locale.ROOT, "  %,8d%s  %s%n", denied, would > 0 ? " (+" + would + " would)" : "",
                        d.get("destination").asText());
                out.printf("            agents %s; first %s, last %s; %s%n", String.join(", ", texts(d.get("agents"))),
                        java.time.Instant.ofEpochMilli(d.get("firstSeen").asLong()),
                        java.time.Instant.ofEpochMilli(d.get("lastSeen").asLong()), String.join(", ", reasons));
            }
            out.flush();
            return 0;
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }
}
