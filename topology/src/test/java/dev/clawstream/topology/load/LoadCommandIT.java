package dev.clawstream.topology.load;

import dev.clawstream.topology.cli.CliSession;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code clawstream load} end to end at a small scale: its own embedded broker, both measurements, and
 * a report in which every record sent at the live rate was decided.
 */
class LoadCommandIT {

    @Test
    void measuresTheYardstickAndTheEnforcerAndDecidesEverythingSent() {
        CliSession.Result run = CliSession.offline().execute("load", "--rate", "400", "--duration", "2s", "--backlog",
                "2000", "--agents", "3", "--jobs", "6");

        assertThat(run.exit()).as(run.err()).isZero();
        String report = run.out();
        assertThat(report).containsPattern("pass-through yardstick +[0-9,]+ records/s");
        assertThat(report).containsPattern("enforcer +[0-9,]+ records/s +ratio [0-9.]+");
        assertThat(report).containsPattern("alerter \\(all rules\\) +[0-9,]+ decisions/s");
        assertThat(report).containsPattern("p50 \\d+ ms +p90 \\d+ ms +p99 \\d+ ms");
        assertThat(report).containsPattern("decided ([0-9,]+) of \\1 sent");
        assertThat(run.err()).contains("generated throwaway publisher, issuer and gateway keys in memory");
    }
}
