package dev.clawstream.topology.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.bundler.stream.BundlerTopology;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.stream.EnforcerKeys;
import dev.clawstream.schemas.Alert;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.ProofBundle;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroSerializer;
import dev.clawstream.topology.Stage;
import dev.clawstream.topology.demo.DemoPlayer;
import dev.clawstream.topology.demo.DemoStory;
import dev.clawstream.topology.embedded.EmbeddedKafkaBroker;
import dev.clawstream.topology.kafka.KafkaConnection;
import dev.clawstream.topology.kafka.SchemaProvisioner;
import dev.clawstream.topology.kafka.TopicProvisioner;
import dev.clawstream.topology.pipeline.PipelineSettings;
import dev.clawstream.topology.pipeline.StageRunner;
import dev.clawstream.topology.registry.EmbeddedSchemaRegistry;
import dev.clawstream.topology.view.JobSummary;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trust Pulse and the live view in real headless Chromium (Debian's, driven by playwright-core from
 * the npm registry; web/e2e/trust-pulse.e2e.mjs): the demo story is played into the real pipeline, one
 * sealed bundle is tampered with on trust.pulse, and the page must show the job list, a bundle verified
 * in the browser, the tampered one invalid at the entry changed, and an alert pushed to the topic.
 * Screenshots land in target/e2e-screenshots.
 */
class TrustPulseBrowserIT {

    private static final Path CHROMIUM = Path.of(System.getProperty("clawstream.chromium", "/usr/bin/chromium"));
    private static final Path WEB = Path.of("web").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theJobListBundlesTamperingAndLiveAlertsShowInTheBrowser() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium not installed at " + CHROMIUM
                + " (.ci/run installs Debian's chromium)");
        Assumptions.assumeTrue(Files.isDirectory(WEB.resolve("node_modules/playwright-core")),
                "playwright-core not installed in web/ (the build's npm ci does it)");

        Signer publisher = Keys.generate();
        Signer issuer = Keys.generate();
        Signer gateway = Keys.generate();
        Signer bundler = Keys.generate();
        String prefix = "e2e.";
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), prefix);
            try (Admin admin = Admin.create(connection.adminProperties())) {
                new TopicProvisioner(admin, prefix).createAll(Optional.of(2), Optional.of((short) 1));
            }
            SchemaProvisioner.registerAll(connection.registryClient(), prefix);
            EnforcerKeys trust = new EnforcerKeys(TrustedKeys.of(List.of(publisher.verifier())),
                    TrustedKeys.of(List.of(issuer.verifier())), TrustedKeys.of(List.of(gateway.verifier())));
            PipelineSettings defaults = PipelineSettings.withDefaults(trust).withBundlerKey(bundler);
            PipelineSettings settings = defaults.withAlertRules(DemoStory.alertRules(defaults.alertRules()));
            WebSettings web = new WebSettings("localhost", 0, Optional.empty(),
                    Optional.of(bundler.verifier().publicKeyPem()));
            try (StageRunner stages = StageRunner.start(Stage.available(), connection, dir.resolve("streams"), settings,
                    new Properties());
                 WebStack webStack = WebStack.start(connection, connection.registryClient(), dir.resolve("streams"),
                         trust.publishers(), web, WebStack.DEFAULT_RETENTION)) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(120))).isTrue();
                assertThat(webStack.awaitRunning(Duration.ofSeconds(120))).isTrue();

                DemoStory story = new DemoStory(publisher, issuer, gateway, Clock.systemUTC(), "e2e");
                List<JobSummary> sealed = DemoPlayer.play(connection, webStack.queries(), story,
                        new PrintWriter(Writer.nullWriter()));
                assertThat(sealed).hasSize(4);
                // The story's attacks each raise their alert (the shadow client's once minutes pass without a receipt).
                java.util.Set<String> wanted = java.util.Set.of("blocked_request_spike", "suspicious_domain_attempt", "typosquat",
                        "dns_tunnel_name", "shadow_model_client", "unexpected_agent", "sidecar_bypass");
                java.util.function.Supplier<java.util.Set<String>> fired = () -> webStack.queries().recentAlerts(200).stream()
                        .map(a -> a.getRuleName()).collect(java.util.stream.Collectors.toSet());
                long alertsBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!fired.get().containsAll(wanted)) {
                    assertThat(System.nanoTime()).as("alerts fired so far: %s", fired.get()).isLessThan(alertsBy);
                    LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling the viewer's store
                }

                apiAnswersAndStaysReadOnly(webStack.url(), story);

                String validJob = story.jobId(DemoStory.RESEARCH);
                String tamperedJob = story.jobId(DemoStory.CODING);
                ProofBundle original = webStack.queries().bundle(tamperedJob, 0).orElseThrow();
                Tampered tampered = flipFirstDeny(original.getBundle());
                ProofBundle forged = ProofBundle.newBuilder(original).setBundle(tampered.document()).build();
                publish(connection, ClawTopic.TRUST_PULSE, tamperedJob + "#0", forged,
                        BundlerTopology.partitionOf(tamperedJob, 2));
                awaitTrue(() -> webStack.queries().bundle(tamperedJob, 0).orElseThrow().getBundle()
                        .equals(tampered.document()));

                String alertId = "a-e2e-" + Instant.now().toEpochMilli();
                Path shots = Path.of("target/e2e-screenshots").toAbsolutePath();
                ProcessBuilder node = new ProcessBuilder("node", "e2e/trust-pulse.e2e.mjs").directory(WEB.toFile())
                        .redirectErrorStream(true);
                node.environment().putAll(java.util.Map.of("BASE_URL", webStack.url(), "CHROMIUM", CHROMIUM.toString(),
                        "SCREENSHOTS", shots.toString(), "VALID_JOB", validJob, "TAMPERED_JOB", tamperedJob,
                        "TAMPERED_INDEX", Integer.toString(tampered.index()), "ALERT_ID", alertId));
                Process process = node.start();
                List<String> output = Collections.synchronizedList(new ArrayList<>());
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter toNode = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.add(line);
                        if (line.equals("READY_FOR_ALERT")) {
                            publish(connection, ClawTopic.ALERTS, "e2e-agent", alert(alertId), 0);
                            toNode.println("ALERT_PUBLISHED");
                        }
                    }
                }
                assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
                assertThat(process.exitValue()).as(String.join("\n", output)).isZero();
                assertThat(output).contains("E2E OK");
                for (String shot : List.of("1-jobs.png", "2-bundle-verified.png", "3-bundle-tampered.png",
                        "4-policies.png", "5-live.png")) {
                    assertThat(shots.resolve(shot)).isNotEmptyFile();
                }
            }
        }
    }

    /** The JSON API behind the pages: answers from the stores, refuses bad input and anything but reads. */
    private static void apiAnswersAndStaysReadOnly(String base, DemoStory story) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        String research = story.jobId(DemoStory.RESEARCH);
        java.net.http.HttpResponse<String> two = get.apply("api/jobs?limit=2");
        assertThat(JSON.readTree(two.body()).size()).isEqualTo(2);
        assertThat(two.headers().firstValue("X-Total-Count")).contains("4");
        JsonNode job = JSON.readTree(get.apply("api/jobs/" + research).body());
        assertThat(job.get("denied").asLong()).isEqualTo(120); // the 120 exfiltration tries
        assertThat(job.get("closed").asBoolean()).isTrue();

        JsonNode blocked = JSON.readTree(get.apply("api/egress/blocked?last=1h&agent=research-agent").body());
        assertThat(blocked.get("blocked").get(0).get("destination").asText()).contains("attacker.com");
        assertThat(blocked.get("blocked").get(0).get("denied").asLong()).isEqualTo(120);
        JsonNode stats = JSON.readTree(get.apply("api/egress/stats?last=1h").body());
        assertThat(stats.get("totals").get("denied").asLong()).isGreaterThanOrEqualTo(120 + 2 + 2 + 40);
        assertThat(stats.get("totals").get("modelCalls").asLong()).isPositive();
        JsonNode wpcs = JSON.readTree(get.apply("api/wpcs").body());
        assertThat(wpcs.get(0).get("hash").asText()).isEqualTo(story.wpcHash());

        // The same answers through the CLI (`egress stats|blocked` ask the viewer, they rescan no topic).
        dev.clawstream.topology.cli.CliSession cli = dev.clawstream.topology.cli.CliSession.offline();
        String statsOut = cli.run("egress", "stats", "--url", base, "--last", "1h");
        assertThat(statsOut).contains("all agents").containsPattern("denied \\d{3}")
                .containsPattern("120\\s+https://attacker.com");
        String blockedOut = cli.run("egress", "blocked", "--url", base, "--last", "1h", "--agent", "ops-agent");
        assertThat(blockedOut).contains("agent ops-agent").contains("169.254.169.254").containsPattern("(SPECIAL_PURPOSE_IP|DENIED_CIDR) 2")
                .doesNotContain("attacker.com");
        dev.clawstream.topology.cli.CliSession.Result unreachable = cli.execute("egress", "stats", "--url",
                "http://localhost:1/");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.err()).contains("cannot reach the viewer");

        assertThat(get.apply("api/jobs/no-such-job").statusCode()).isEqualTo(404);
        assertThat(get.apply("api/egress/stats?last=forever").statusCode()).isEqualTo(400);
        assertThat(get.apply("api/wpcs/not-a-hash").statusCode()).isEqualTo(400);
        java.net.http.HttpResponse<String> write = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base + "api/jobs/" + research))
                .DELETE().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("no token configured: read-only").isEqualTo(403);
    }

    /** The bundle with its first DENY decision rewritten to ALLOW, as someone hiding a block would. */
    private record Tampered(String document, int index) {
    }

    private static Tampered flipFirstDeny(String document) throws Exception {
        JsonNode entries = JSON.readTree(document).get("entries");
        for (JsonNode e : entries) {
            JsonNode decision = e.path("entry").path("decision");
            if ("DENY".equals(decision.path("verdict").asText())) {
                int index = e.get("index").asInt();
                // Edit the bytes, not a re-serialisation: only this one verdict may differ.
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"decision_id\"\\s*:\\s*\""
                        + java.util.regex.Pattern.quote(decision.get("decision_id").asText()) + "\"").matcher(document);
                assertThat(id.find()).isTrue();
                java.util.regex.Matcher verdict = java.util.regex.Pattern.compile("\"verdict\"\\s*:\\s*\"DENY\"")
                        .matcher(document);
                assertThat(verdict.find(id.end())).isTrue();
                String changed = document.substring(0, verdict.start()) + "\"verdict\":\"ALLOW\""
                        + document.substring(verdict.end());
                return new Tampered(changed, index);
            }
        }
        throw new AssertionError("the coding job has no denied decision to tamper with");
    }

    private static Alert alert(String id) {
        Instant now = Instant.now();
        return Alert.newBuilder().setAlertId(id).setTime(now).setKind(AlertKind.POLICY_BYPASS)
                .setSeverity(Severity.CRITICAL).setRuleName("e2e").setAgentId("e2e-agent").setJobId("e2e-job")
                .setWindowStart(now).setWindowEnd(now).setCount(1).setDedupeKey("e2e|" + id)
                .setDetail("pushed by TrustPulseBrowserIT").build();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> void publish(KafkaConnection connection,
            ClawTopic topic, String key, T value, int partition) throws Exception {
        String name = topic.topicName(connection.topicPrefix());
        AvroSerializer<T> serializer = new AvroSerializer<>(connection.registryClient(), false, false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(connection.producerProperties("e2e"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(name, partition, key, serializer.serialize(name, value))).get();
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 60 s").isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos()); // polling the viewer's store
        }
    }
}
