package dev.clawstream.topology.cli;

import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.SubjectNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code clawstream up} as a user runs it: the shaded jar in its own JVM. Ready, topics listed,
 * subjects registered, publish and tail round-trip a record, SIGTERM stops it with exit 0 and leaves
 * no process behind.
 */
class ClawstreamUpIT {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(120);
    private static final Path JAR = Path.of(System.getProperty("clawstream.jar", "target/clawstream.jar"));

    @TempDir
    Path work;

    @Test
    void upServesTopicsAndSubjectsRoundTripsARecordAndStopsCleanlyOnSigterm() throws Exception {
        int kafkaPort = freePort();
        int registryPort = freePort();
        int webPort = freePort();
        Process up = java("up", "--data-dir", work.resolve("data").toString(),
                "--kafka-port", String.valueOf(kafkaPort), "--registry-port", String.valueOf(registryPort),
                "--web-port", String.valueOf(webPort))
                .redirectError(work.resolve("up.err").toFile()).start();
        try {
            List<String> output = new ArrayList<>();
            Output stdout = pump(up.getInputStream());
            awaitLine(stdout, output, "Press Ctrl-C to stop.");
            assertThat(output).anyMatch(l -> l.contains("Kafka bootstrap:  localhost:" + kafkaPort));
            assertThat(output).anyMatch(l -> l.contains("Trust Pulse:      http://localhost:" + webPort + "/"));
            assertThat(httpGet("http://localhost:" + webPort + "/api/health")).contains("\"ok\"");
            assertThat(httpGet("http://localhost:" + webPort + "/")).contains("Trust Pulse");
            assertThat(httpGet("http://localhost:" + webPort + "/vendor/uPlot.iife.min.js")).as("vendored, no CDN")
                    .contains("uPlot");

            String bootstrap = "localhost:" + kafkaPort;
            String registry = "http://localhost:" + registryPort;

            String subjects = httpGet(registry + "/subjects");
            for (ClawTopic topic : ClawTopic.values()) {
                if (topic.valueSchema().isPresent()) {
                    assertThat(subjects).contains("\"" + SubjectNames.valueSubject(topic.topicName("clawstream.")) + "\"");
                }
            }

            Result list = run(null, "topics", "list", "--bootstrap", bootstrap, "--registry", registry);
            assertThat(list.exit()).isZero();
            for (ClawTopic topic : ClawTopic.values()) {
                assertThat(list.out()).containsPattern(topic.topicName("clawstream.").replace(".", "\\.")
                        + "\\s+3\\s+1\\s+" + topic.cleanupPolicy().config());
            }

            String good = "{\"event_id\":\"e-42\",\"time\":\"2026-11-22T10:15:30Z\",\"agent_id\":\"a1\","
                    + "\"job_id\":\"j1\",\"sidecar_id\":\"envoy\",\"url\":\"https://attacker.com/collect\","
                    + "\"port\":443,\"bytes_out\":4096}";
            String bad = "{\"event_id\":\"e-43\",\"time\":\"2026-11-22T10:15:31Z\",\"agent_id\":\"a1\","
                    + "\"job_id\":\"j1\",\"sidecar_id\":\"envoy\",\"port\":\"https\"}";
            Result publish = run(good + "\n" + bad + "\n", "publish", "egress.events",
                    "--bootstrap", bootstrap, "--registry", registry);
            assertThat(publish.exit()).as("a rejected line makes the exit code non-zero").isEqualTo(1);
            assertThat(publish.err()).contains("line 2: $.port").contains("published 1 record(s)");

            Result tail = run(null, "tail", "egress.events", "--from-beginning", "--max", "1", "--timeout", "30",
                    "--bootstrap", bootstrap, "--registry", registry);
            assertThat(tail.exit()).isZero();
            assertThat(tail.out()).contains("\"event_id\":\"e-42\"").contains("\"url\":\"https://attacker.com/collect\"")
                    .contains("\"time\":\"2026-11-22T10:15:30Z\"").doesNotContain("e-43");

            Result runAgainstIt = run(null, "run", "--bootstrap", bootstrap, "--registry", registry,
                    "--prefix", "team2.", "--partitions", "2", "--replication", "1", "--provision-only");
            assertThat(runAgainstIt.exit()).as(runAgainstIt.err()).isZero();
            assertThat(runAgainstIt.out()).contains("Value schemas registered at " + registry + ": 10");
            Result team2 = run(null, "topics", "list", "--bootstrap", bootstrap, "--prefix", "team2.");
            assertThat(team2.out()).containsPattern("team2\\.egress\\.events\\s+2\\s+1\\s+delete")
                    .containsPattern("team2\\.wpc\\.registry\\s+2\\s+1\\s+compact");
            assertThat(httpGet(registry + "/subjects")).contains("\"team2.egress.decisions-value\"");

            List<ProcessHandle> family = new ArrayList<>(up.descendants().toList());
            family.add(up.toHandle());
            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
            assertThat(up.toHandle().destroy()).isTrue();
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up stops within 60 s of SIGTERM").isTrue();
            awaitLine(stdout, output, "Stopped cleanly.");
            assertThat(up.exitValue()).isZero();
            assertThat(family).noneMatch(ProcessHandle::isAlive);
        } finally {
            up.destroyForcibly();
        }
    }

    private record Result(int exit, String out, String err) { }

    private Result run(String stdin, String... args) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder pb = java(args).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("clawstream " + String.join(" ", args) + " finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(Arrays.asList(args));
        return new ProcessBuilder(command);
    }

    /** Lines of a process's stdout as they arrive; {@code done} once the stream hit its end. */
    private record Output(BlockingQueue<String> lines, Thread reader) {
        boolean done() {
            return !reader.isAlive();
        }
    }

    private static Output pump(InputStream stream) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The process ended; whatever it printed is in the queue.
            }
        }, "up-stdout");
        reader.setDaemon(true);
        reader.start();
        return new Output(lines, reader);
    }

    private void awaitLine(Output output, List<String> seen, String wanted) throws Exception {
        Instant deadline = Instant.now().plus(READY_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            // Read "done" before polling: a line queued before the end of the stream is never missed.
            boolean ended = output.done();
            String line = output.lines().poll(500, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(wanted)) {
                    return;
                }
            } else if (ended) {
                break;
            }
        }
        throw new AssertionError("no line '" + wanted + "' from clawstream up; stdout: " + seen
                + "\nstderr: " + Files.readString(work.resolve("up.err")));
    }

    private static String httpGet(String url) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
