package dev.clawstream.topology.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.EgressEvent;
import dev.clawstream.schemas.Verdict;
import dev.clawstream.schemas.catalog.ClawTopic;
import dev.clawstream.schemas.serde.AvroDeserializer;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The road to default-deny of the README, through the CLI and the real enforcer on the embedded broker:
 * traffic decided under a starter WPC, {@code policy suggest} from the recorded decisions, the draft
 * enforced, the same traffic replayed; and {@code egress add|remove|rollback} as signed versions the
 * enforcer follows.
 */
class PolicyLifecycleIT {

    private static final String PREFIX = "it.";
    private static final CliSession CLI = CliSession.offline();
    private static final Pattern HASH = Pattern.compile("published (sha256:[0-9a-f]{64})");

    @TempDir
    Path dir;

    /** The traffic the agents made: allowed by the starter WPC or denied by it, and the metadata probe. */
    private static final List<String[]> OBSERVED = List.of(
            new String[] {"agent-a", "https://api.openai.com/v1/chat/completions"},
            new String[] {"agent-b", "https://api.openai.com/v1/embeddings"},
            new String[] {"agent-a", "https://api.slack.com/api/chat.postMessage"},
            new String[] {"agent-b", "https://hooks.slack.com:8443/services/T0/B0"},
            new String[] {"agent-a", "http://93.184.216.34:8080/data.csv"},
            new String[] {"agent-b", "http://169.254.169.254/latest/meta-data/"});

    /** Destinations nobody reached: other hosts, other ports, subdomains, the apex, the metadata service. */
    private static final List<String> UNOBSERVED = List.of(
            "https://api.anthropic.com/v1/messages", "https://api.openai.com:8443/v1/chat/completions",
            "https://x.api.slack.com/", "https://slack.com/", "https://hooks.slack.com/services/T0/B0",
            "http://93.184.216.34/", "http://93.184.216.35:8080/", "http://169.254.169.254/latest/meta-data/");

    @Test
    void suggestedPolicyAllowsEveryObservedDestinationAndNothingElse() throws Exception {
        Path trust = keys();
        Path starter = dir.resolve("wpc.json");
        CLI.run("wpc", "init", starter.toString(), "--name", "team");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            CliSession cli = CliSession.against(broker.bootstrapServers(), registryServer.url(), PREFIX);
            cli.kafka("topics", "create", "--partitions", "2");
            cli.kafka("wpc", "publish", starter.toString(), "--key", publisherKey(trust));
            bindJobs(cli, trust, "job-a", "agent-a", "job-b", "agent-b");
            publishEvents(cli, "obs", OBSERVED.stream().map(o -> o[1]).toList(),
                    OBSERVED.stream().map(o -> o[0]).toList());

            Map<String, Verdict> before;
            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("streams"),
                    TrustDirectory.load(trust))) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                before = verdicts(readDecisions(connection, OBSERVED.size()), "obs");
            }
            // The starter WPC denied most of it: suggest must learn from denials, not only from allows.
            assertThat(before.values()).contains(Verdict.DENY);

            Path draft = dir.resolve("draft.json");
            CliSession.Result suggest = cli.tryKafka("policy", "suggest", "--since", "1h", "--name", "team",
                    "--out", draft.toString());
            assertThat(suggest.exit()).as(suggest.err()).isZero();
            // The starter WPC denies 169.254.0.0/16 by rule: the metadata probe is never suggested.
            assertThat(suggest.err()).contains("skipped: 1 decision(s) denied by an explicit deny rule of their WPC");
            JsonNode doc = new ObjectMapper().readTree(draft.toFile());
            assertThat(doc.at("/allow/domains").toString()).contains("api.openai.com", "api.slack.com", "hooks.slack.com")
                    .doesNotContain("*.");
            assertThat(doc.at("/allow/domains/0/note").asText()).isEqualTo("observed 2 time(s) in 2 job(s) by agent-a (1), agent-b (1)");
            assertThat(doc.at("/allow/ip_cidrs").toString()).contains("93.184.216.34").doesNotContain("169.254");
            String perAgent = cli.kafka("policy", "suggest", "--since", "1h", "--agent", "agent-a");
            assertThat(perAgent).contains("api.slack.com", "93.184.216.34").doesNotContain("hooks.slack.com");

            cli.kafka("wpc", "publish", draft.toString(), "--key", publisherKey(trust));
            List<String> replay = new ArrayList<>(OBSERVED.stream().map(o -> o[1]).toList());
            replay.addAll(UNOBSERVED);
            List<String> agents = replay.stream().map(u -> "agent-a").toList();
            publishEvents(cli, "replay", replay, agents);
            // A fresh start restores the whole WPC catalog before RUNNING: the replay is decided under the draft.
            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("streams2"),
                    TrustDirectory.load(trust))) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                Map<String, Verdict> after = verdicts(readDecisions(connection, OBSERVED.size() + replay.size()), "replay");
                for (int i = 0; i < replay.size(); i++) {
                    boolean observedAndAllowable = i < OBSERVED.size() && !replay.get(i).contains("169.254");
                    assertThat(after.get("replay-" + i)).as(replay.get(i))
                            .isEqualTo(observedAndAllowable ? Verdict.ALLOW : Verdict.DENY);
                }
            }
        }
    }

    @Test
    void everyAllowlistChangeIsASignedVersionAndRollbackRestoresAKnownGoodHash() throws Exception {
        Path trust = keys();
        Path starter = dir.resolve("wpc.json");
        CLI.run("wpc", "init", starter.toString(), "--name", "team");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0, 0);
             EmbeddedSchemaRegistry registryServer = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), "localhost", 0)) {
            KafkaConnection connection = new KafkaConnection(broker.bootstrapServers(), registryServer.url(), PREFIX);
            CliSession cli = CliSession.against(broker.bootstrapServers(), registryServer.url(), PREFIX);
            cli.kafka("topics", "create", "--partitions", "2");
            String v1 = hash(cli.kafka("wpc", "publish", starter.toString(), "--key", publisherKey(trust)));

            String added = cli.kafka("egress", "add", "--wpc", "team", "api.slack.com", "--key", publisherKey(trust));
            String v2 = hash(added);
            assertThat(added).contains("as the latest version", v1 + " (v1) -> " + v2,
                    "+ widens:  allow.domains + api.slack.com ports [443]");
            String port = cli.kafka("egress", "add", "--wpc", "team", "--port", "8443", "api.slack.com",
                    "--key", publisherKey(trust));
            assertThat(port).contains("(v3").contains("+ widens:  allow.domains + api.slack.com ports [443, 8443]");

            CliSession.Result metadata = cli.tryKafka("egress", "add", "--wpc", "team", "169.254.169.254",
                    "--port", "80", "--key", publisherKey(trust));
            assertThat(metadata.exit()).isEqualTo(2);
            assertThat(metadata.err()).contains("refused: 169.254.169.254 overlaps", "cloud-metadata", "--allow-special");
            CliSession.Result wide = cli.tryKafka("egress", "add", "--wpc", "team", "0.0.0.0/0", "--key", publisherKey(trust));
            assertThat(wide.exit()).isEqualTo(2);
            CliSession.Result internal = cli.tryKafka("egress", "add", "--wpc", "team", "10.20.0.0/16", "--allow-special",
                    "--key", publisherKey(trust));
            assertThat(internal.exit()).isZero();
            assertThat(internal.out()).contains("+ widens:  allow.ip_cidrs + 10.20.0.0/16 ports [443]");
            assertThat(internal.err()).contains("warning: deny rule /deny/ip_cidrs/1 10.0.0.0/8 still denies (part of) 10.20.0.0/16");

            String removed = cli.kafka("egress", "remove", "--wpc", "team", "pypi.org", "--key", publisherKey(trust));
            assertThat(removed).contains("- narrows: allow.domains - pypi.org ports [443]");
            CliSession.Result again = cli.tryKafka("egress", "remove", "--wpc", "team", "pypi.org", "--key", publisherKey(trust));
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.err()).contains("nothing published", "not in allow.domains");

            String list = cli.kafka("egress", "list", "--wpc", "team", "--trusted", trust.resolve("publishers").toString());
            assertThat(list).contains("team v5 ").containsPattern("allow +api\\.slack\\.com +ports \\[443, 8443\\]")
                    .containsPattern("allow +api\\.openai\\.com +ports \\[443\\] +# OpenAI API")
                    .doesNotContainPattern("allow +pypi\\.org").contains("* (everything else)");

            String rollback = cli.kafka("egress", "rollback", "--wpc", "team", "--to", v2, "--key", publisherKey(trust));
            assertThat(rollback).contains("rolled back to v2 of team: published " + v2)
                    .contains("- narrows: allow.ip_cidrs - 10.20.0.0/16 ports [443]")
                    .contains("+ widens:  allow.domains + pypi.org ports [443]");
            assertThat(cli.kafka("egress", "list", "--wpc", "team", "--key", publisherKey(trust))).contains("team v2 " + v2);
            // The next change numbers on from the highest version ever published, not from the rollback's.
            assertThat(cli.kafka("egress", "add", "--wpc", "team", "api.stripe.com", "--key", publisherKey(trust)))
                    .contains("(v6,").contains(v2 + " (v2) -> ");
            String v6 = hash(cli.kafka("egress", "list", "--wpc", "team", "--key", publisherKey(trust)).replace("team v6 ", "published "));
            cli.kafka("egress", "rollback", "--wpc", "team", "--to", v2, "--key", publisherKey(trust));

            // What the enforcer does with it: a job naming the WPC is decided under v2 itself.
            bindJobs(cli, trust, "job-a", "agent-a", "job-b", "agent-b");
            publishEvents(cli, "r", List.of("https://api.slack.com/api", "https://api.stripe.com/v1", "https://pypi.org/simple"),
                    List.of("agent-a", "agent-a", "agent-a"));
            try (StageRunner stages = StageRunner.start(List.of(Stage.ENFORCER), connection, dir.resolve("streams"),
                    TrustDirectory.load(trust))) {
                assertThat(stages.awaitRunning(Duration.ofSeconds(90))).isTrue();
                List<Decision> decisions = readDecisions(connection, 3);
                assertThat(decisions).extracting(Decision::getWpcHash).containsOnly(v2).doesNotContain(v6);
                assertThat(verdicts(decisions, "r")).containsEntry("r-0", Verdict.ALLOW).containsEntry("r-1", Verdict.DENY)
                        .containsEntry("r-2", Verdict.ALLOW);
            }
        }
    }

    private Path keys() {
        Path trust = dir.resolve("trust");
        CLI.run("keys", "generate", "--out", trust.resolve("publishers").toString(), "--name", "publisher");
        CLI.run("keys", "generate", "--out", trust.resolve("issuers").toString(), "--name", "issuer");
        return trust;
    }

    private static String publisherKey(Path trust) {
        return trust.resolve("publishers/publisher.key.pem").toString();
    }

    private static String hash(String output) {
        Matcher m = HASH.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    private void bindJobs(CliSession cli, Path trust, String... jobsAndAgents) {
        for (int i = 0; i < jobsAndAgents.length; i += 2) {
            Path token = dir.resolve("token-" + jobsAndAgents[i] + ".json");
            CLI.run("cst", "issue", "--job", jobsAndAgents[i], "--agent", jobsAndAgents[i + 1], "--wpc-name", "team",
                    "--key", trust.resolve("issuers/issuer.key.pem").toString(), "--out", token.toString());
            cli.kafka("publish", "cst.bindings", "--input", token.toString());
        }
    }

    /** One event per URL, event ids {@code <prefix>-<index>}, each agent in its own job. */
    private void publishEvents(CliSession cli, String prefix, List<String> urls, List<String> agents) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            String agent = agents.get(i);
            lines.add("{\"event_id\":\"" + prefix + "-" + i + "\",\"time\":\"" + Instant.now() + "\",\"agent_id\":\""
                    + agent + "\",\"job_id\":\"" + agent.replace("agent", "job") + "\",\"sidecar_id\":\"envoy\","
                    + "\"url\":\"" + urls.get(i) + "\"}");
        }
        Path file = dir.resolve(prefix + ".jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        cli.kafka("publish", "egress.events", "--input", file.toString());
    }

    private static Map<String, Verdict> verdicts(List<Decision> decisions, String prefix) {
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (Decision d : decisions) {
            String id = ((EgressEvent) d.getInput()).getEventId();
            if (id.startsWith(prefix + "-")) {
                verdicts.put(id, d.getVerdict());
            }
        }
        return verdicts;
    }

    private static List<Decision> readDecisions(KafkaConnection connection, int expected) {
        return TopicReader.readAll(connection, ClawTopic.EGRESS_DECISIONS.topicName(PREFIX), expected,
                AvroDeserializer.specific(connection.registryClient(), Decision.class));
    }
}
