package dev.clawstream.topology.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs CLI commands in the test JVM through the same command tree as {@code ./clawstream}, as a user
 * would type them; {@link #kafka} adds the connection options of one broker, registry and prefix.
 */
public final class CliSession {

    /** What a command printed, and how it exited. */
    public record Result(int exit, String out, String err) {
    }

    private final String[] connection;

    private CliSession(String... connection) {
        this.connection = connection;
    }

    /** For commands that need no Kafka (keys, cst, verify, prove). */
    public static CliSession offline() {
        return new CliSession();
    }

    public static CliSession against(String bootstrap, String registryUrl, String prefix) {
        return new CliSession("--bootstrap", bootstrap, "--registry", registryUrl, "--prefix", prefix);
    }

    /** Runs a command that needs no Kafka; fails the test unless it exits 0; returns its stdout. */
    public String run(String... args) {
        Result result = execute(args);
        assertThat(result.exit()).as(String.join(" ", args) + " -> " + result.err()).isZero();
        return result.out();
    }

    /** As {@link #run}, with this session's connection options appended. */
    public String kafka(String... args) {
        return run(withConnection(args));
    }

    /** As {@link #kafka}, for commands polled until their answer is there: any exit code is returned. */
    public Result tryKafka(String... args) {
        return execute(withConnection(args));
    }

    public Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClawstreamCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private String[] withConnection(String[] args) {
        String[] all = Arrays.copyOf(args, args.length + connection.length);
        System.arraycopy(connection, 0, all, args.length, connection.length);
        return all;
    }
}
