package dev.clawstream.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.clawstream.topology.cli.ClawstreamCli;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Keeps docker-compose.yml in step with the CLI. No Docker engine runs here, so the file is parsed
 * as YAML and the Clawstream service's command is parsed by the real picocli tree; where a docker
 * client with the compose plugin exists, {@code docker compose config} validates it too (that needs
 * no engine).
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");

    @Test
    void composeFileHasKafkaTheConfluentRegistryAndClawstream() throws IOException {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).path("services");

        assertThat(services.path("kafka").path("image").asText()).startsWith("apache/kafka:");
        assertThat(services.path("schema-registry").path("image").asText()).startsWith("confluentinc/cp-schema-registry:");
        assertThat(services.path("clawstream").path("build").asText()).isEqualTo(".");
    }

    @Test
    void clawstreamServiceCommandIsAValidRunInvocation() throws IOException {
        JsonNode command = new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile())
                .path("services").path("clawstream").path("command");
        List<String> args = new ArrayList<>();
        command.forEach(arg -> args.add(arg.asText()));

        var parsed = ClawstreamCli.commandLine().parseArgs(args.toArray(String[]::new));

        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
        assertThat(parsed.subcommand().matchedOptionValue("--bootstrap", "")).isEqualTo("kafka:9092");
        assertThat(parsed.subcommand().matchedOptionValue("--registry", "")).isEqualTo("http://schema-registry:8081");
        // run starts the bundler by default, which refuses to start without its key.
        assertThat(parsed.subcommand().matchedOptionValue("--bundler-key", (java.nio.file.Path) null)).isNotNull();
        assertThat(parsed.subcommand().hasMatchedOption("--web")).isTrue();
    }

    @Test
    void dockerComposeConfigAcceptsTheFileWhereTheComposePluginExists() throws Exception {
        assumeTrue(succeeds("docker", "compose", "version"), "docker compose plugin not installed");
        assertThat(succeeds("docker", "compose", "-f", COMPOSE.toString(), "config", "-q")).isTrue();
    }

    private static boolean succeeds(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        }
    }
}
