package dev.clawstream.enforcer.destination;

import dev.clawstream.enforcer.destination.Host.AddressHost;
import dev.clawstream.enforcer.destination.Host.DomainHost;
import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.Unparseable;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

    /**
     * The verdict column follows from what this package decides, without the policy engine (whose own
     * test runs the same file end to end): the reference policy of the file header, applied by hand to
     * the parse, the canonical host and port, and the special-purpose classification.
     */
    @Test
    void everyVerdictFollowsFromTheParseAndTheSpecialPurposeSet() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Case c : load()) {
            String derived = referenceVerdict(DestinationParser.parseUrl(c.input()));
            if (!derived.equals(c.verdict())) {
                failures.add("line " + c.line() + " " + c.input() + ": derived " + derived + ", file says " + c.verdict());
            }
        }
        assertThat(failures).isEmpty();
    }

    private static final Set<String> ALLOWED_NAMES = Set.of("api.openai.com", "api.anthropic.com", "registry.npmjs.org");
    private static final IPAddress ALLOWED_CIDR = new IPAddressString("203.0.113.0/24").getAddress();
    private static final IPAddress DENIED_CIDR = new IPAddressString("10.0.0.0/8").getAddress();

    private static String referenceVerdict(ParsedDestination parsed) {
        if (parsed instanceof Unparseable u) {
            return u.kind() == Unparseable.Kind.AMBIGUOUS ? "DENY:AMBIGUOUS_DESTINATION" : "DENY:INVALID_DESTINATION";
        }
        EgressDestination d = (EgressDestination) parsed;
        if (d.host() instanceof DomainHost name) {
            if (SpecialPurposeAddresses.isMetadataName(name)) {
                return "DENY:SPECIAL_PURPOSE_IP";
            }
            String n = name.ascii();
            boolean listed = ALLOWED_NAMES.contains(n) || n.endsWith(".github.com");
            if (!listed) {
                return "DENY:DEFAULT_DENY";
            }
            return d.port() == 443 ? "ALLOW" : "DENY:PORT_NOT_ALLOWED";
        }
        IPAddress address = ((AddressHost) d.host()).address();
        List<IPAddress> views = SpecialPurposeAddresses.views(address);
        if (views.stream().anyMatch(DENIED_CIDR::contains)) {
            return "DENY:DENIED_CIDR";
        }
        if (views.stream().anyMatch(ALLOWED_CIDR::contains) && d.port() == 443) {
            return "ALLOW";
        }
        return SpecialPurposeAddresses.classify(address).isPresent() ? "DENY:SPECIAL_PURPOSE_IP" : "DENY:DEFAULT_DENY";
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
