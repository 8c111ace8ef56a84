package dev.clawstream.topology.load;

import dev.clawstream.topology.cli.ClawstreamCli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code clawstream load} end to end at a small scale: its own embedded broker, both measurements, and
 * a report in which every record sent at the live rate was decided.
 */
class LoadCommandIT {

    @Test
    void measuresTheYardstickAndTheEnforcerAndDecidesEverythingSent() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ClawstreamCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("load", "--rate", "400", "--duration", "2s", "--backlog", "2000", "--agents", "3",
                "--jobs", "6");

        assertThat(exit).as(err.toString()).isZero();
        String report = out.toString();
        assertThat(report).containsPattern("pass-through yardstick +[0-9,]+ records/s");
        assertThat(report).containsPattern("enforcer +[0-9,]+ records/s +ratio [0-9.]+");
        assertThat(report).containsPattern("alerter \\(all rules\\) +[0-9,]+ decisions/s");
        assertThat(report).containsPattern("p50 \\d+ ms +p90 \\d+ ms +p99 \\d+ ms");
        assertThat(report).containsPattern("decided ([0-9,]+) of \\1 sent");
        assertThat(err.toString()).contains("generated throwaway publisher, issuer and gateway keys in memory");
    }
}
