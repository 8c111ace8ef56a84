package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.schemas.Verdict;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Adding a layer never widens what is allowed, whatever either layer says and in either mode. */
class LayeringPropertyTest {

    private static final List<String> PATTERNS = List.of("a.example.com", "b.example.com", "*.example.com",
            "x.test", "*.x.test", "api.example.com");
    private static final List<String> CIDRS = List.of("203.0.113.0/24", "203.0.113.128/25", "198.51.100.0/24",
            "10.0.0.0/8");
    private static final List<String> DESTINATIONS = List.of("https://a.example.com/", "https://b.example.com/",
            "https://api.example.com/", "https://deep.api.example.com/", "https://x.test/", "https://y.x.test/",
            "https://example.com/", "https://203.0.113.7/", "https://203.0.113.200/", "https://198.51.100.1/",
            "http://10.0.0.1/", "https://a.example.com:8443/", "https://other.net/");
    private static final List<String> ATTESTATIONS = List.of("needs_go_packages", "needs_pypi");

    @Property(tries = 300)
    void addingALayerNeverWidensWhatIsAllowed(@ForAll("wpcs") String base, @ForAll("wpcs") String extra,
                                              @ForAll("attestationSets") Set<String> attestations) {
        CompiledPolicy lower = CompiledPolicyTest.compile(base);
        CompiledPolicy upper = CompiledPolicyTest.compile(extra);
        CompiledPolicy both = CompiledPolicy.layered(List.of(upper, lower));

        for (String url : DESTINATIONS) {
            ParsedDestination d = DestinationParser.parseUrl(url);
            if (allowedByRules(both, d, attestations)) {
                assertThat(allowedByRules(lower, d, attestations)).as(url).isTrue();
                assertThat(allowedByRules(upper, d, attestations)).as(url).isTrue();
            }
            if (both.decideEgress(d, Optional.empty(), Optional.empty(), attestations).verdict() == Verdict.ALLOW) {
                assertThat(lower.decideEgress(d, Optional.empty(), Optional.empty(), attestations).verdict())
                        .as("verdict in force, " + url).isEqualTo(Verdict.ALLOW);
            }
        }
    }

    /** What enforce mode would decide: the rules alone, monitor mode aside. */
    private static boolean allowedByRules(CompiledPolicy policy, ParsedDestination d, Set<String> attestations) {
        return policy.egressOutcome(d, Optional.empty(), Optional.empty(), attestations).allowed();
    }

    @Provide
    Arbitrary<String> wpcs() {
        Arbitrary<String> domainRule = Combinators.combine(Arbitraries.of(PATTERNS), Arbitraries.of("", "8443", "443"),
                Arbitraries.of("", ATTESTATIONS.get(0), ATTESTATIONS.get(1))).as((p, port, att) ->
                "{\"pattern\": \"" + p + "\"" + (port.isEmpty() ? "" : ", \"ports\": [" + port + "]")
                        + (att.isEmpty() ? "" : ", \"requires_attestation\": \"" + att + "\"") + "}");
        Arbitrary<String> cidrRule = Combinators.combine(Arbitraries.of(CIDRS), Arbitraries.of("", ATTESTATIONS.get(0)))
                .as((c, att) -> "{\"cidr\": \"" + c + "\"" + (att.isEmpty() ? "" : ", \"requires_attestation\": \"" + att + "\"") + "}");
        Arbitrary<String> allowDomains = domainRule.list().ofMaxSize(4).map(l -> String.join(", ", l));
        Arbitrary<String> allowCidrs = cidrRule.list().ofMaxSize(2).map(l -> String.join(", ", l));
        Arbitrary<String> denyDomains = Arbitraries.of(PATTERNS).list().ofMaxSize(2).uniqueElements()
                .map(l -> l.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")));
        Arbitrary<String> denyCidrs = Arbitraries.of(CIDRS).list().ofMaxSize(1)
                .map(l -> l.stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", ")));
        Arbitrary<String> mode = Arbitraries.of("enforce", "monitor");
        return Combinators.combine(allowDomains, allowCidrs, denyDomains, denyCidrs, mode).as((ad, ac, dd, dc, m) ->
                "{\"name\": \"p\", \"default\": \"deny\", \"mode\": \"" + m + "\", \"allow\": {\"domains\": [" + ad
                        + "], \"ip_cidrs\": [" + ac + "]}, \"deny\": {\"domains\": [" + dd + "], \"ip_cidrs\": [" + dc + "]}}");
    }

    @Provide
    Arbitrary<Set<String>> attestationSets() {
        return Arbitraries.of(ATTESTATIONS).set().ofMaxSize(2);
    }
}
