package dev.clawstream.enforcer.destination;

import dev.clawstream.enforcer.destination.Host.AddressHost;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every destination of adversarial-destinations.tsv (collected from public SSRF and URL-parser
 * research, sources in the file) parses to its expected canonical form, or is refused as the file
 * says, and every address in a special-purpose range is reported as such. All failures are
 * collected before asserting, so one run shows every disagreement.
 */
public class AdversarialDestinationTest {

    /** One line of the corpus; {@code verdict} is checked by the policy engine's own test. */
    public record Case(int line, String input, String expected, String special, String verdict) { }

    @Test
    void everyCaseParsesAsExpected() throws IOException {
        List<Case> cases = load();
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            ParsedDestination parsed = DestinationParser.parseUrl(c.input());
            String actual = parsed instanceof Unparseable u ? u.kind().name() : parsed.toString();
            if (!actual.equals(c.expected())) {
                failures.add("line " + c.line() + " " + c.input() + ": got " + actual + ", want " + c.expected()
                        + (parsed instanceof Unparseable u ? " (" + u.reason() + ")" : ""));
                continue;
            }
            String special = parsed instanceof EgressDestination d && d.host() instanceof AddressHost a
                    ? SpecialPurposeAddresses.classify(a.address()).map(SpecialPurposeAddresses.SpecialRange::name).orElse("-")
                    : "-";
            if (!special.equals(c.special())) {
                failures.add("line " + c.line() + " " + c.input() + ": special range " + special + ", want " + c.special());
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(150);
        assertThat(failures).isEmpty();
    }

    public static List<Case> load() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                AdversarialDestinationTest.class.getResourceAsStream("/adversarial-destinations.tsv")),
                StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.startsWith("#") || line.isBlank() && !line.contains("\t")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                cases.add(new Case(number, f[0], f[1], f[2], f[3]));
            }
        }
        return cases;
    }
}
