package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.Host;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySuggestionTest {

    private static Observation seen(String host, int port, String agent) {
        ParsedDestination.EgressDestination d =
                (ParsedDestination.EgressDestination) DestinationParser.parseHostPort(host, port, null);
        return new Observation(d.host(), d.port(), agent, "job-" + agent);
    }

    private static List<String> patterns(JsonNode doc) {
        List<String> patterns = new ArrayList<>();
        doc.path("allow").path("domains").forEach(rule -> patterns.add(rule.path("pattern").asText()
                + " " + rule.path("ports")));
        doc.path("allow").path("ip_cidrs").forEach(rule -> patterns.add(rule.path("cidr").asText()
                + " " + rule.path("ports")));
        return patterns;
    }

    @Test
    void allowsExactlyTheObservedHostsOnTheObservedPorts() {
        JsonNode doc = PolicySuggestion.suggest("research", List.of(
                seen("api.openai.com", 443, "a"), seen("api.openai.com", 443, "b"),
                seen("API.OpenAI.com", 8443, "a"), seen("pypi.org", 443, "a"), seen("93.184.216.34", 443, "c")),
                false).document();

        assertThat(patterns(doc)).containsExactly("api.openai.com [443,8443]", "pypi.org [443]",
                "93.184.216.34 [443]");
        assertThat(Policies.decide(doc, "api.openai.com", 8443)).isEqualTo(Verdict.ALLOW);
        assertThat(Policies.decide(doc, "pypi.org", 8443)).isEqualTo(Verdict.DENY);
        assertThat(Policies.decide(doc, "x.api.openai.com", 443)).isEqualTo(Verdict.DENY);
        assertThat(Policies.decide(doc, "93.184.216.35", 443)).isEqualTo(Verdict.DENY);
    }

    @Test
    void notesSayHowOftenAndByWhichAgents() {
        JsonNode doc = PolicySuggestion.suggest("research", List.of(seen("api.openai.com", 443, "alpha"),
                seen("api.openai.com", 443, "alpha"), seen("api.openai.com", 443, "beta")), false).document();

        assertThat(doc.at("/allow/domains/0/note").asText())
                .isEqualTo("observed 3 time(s) in 2 job(s) by alpha (2), beta (1)");
    }

    @Test
    void neverAllowsSpecialPurposeDestinationsAndSaysSo() {
        PolicySuggestion.Suggestion s = PolicySuggestion.suggest("research", List.of(
                seen("169.254.169.254", 80, "a"), seen("10.1.2.3", 443, "a"), seen("127.0.0.1", 8080, "a"),
                seen("metadata.google.internal", 80, "a"), seen("[::ffff:169.254.169.254]", 80, "a"),
                seen("api.openai.com", 443, "a")), false);

        assertThat(patterns(s.document())).containsExactly("api.openai.com [443]");
        assertThat(s.skipped()).hasSize(5).anyMatch(line -> line.contains("cloud-metadata"));
        assertThat(s.document().at("/deny/ip_cidrs").toString()).contains("169.254.0.0/16", "10.0.0.0/8");
    }

    @Test
    void groupsSubdomainsOnlyWhenAskedAndOnlyUnderOneOwner() {
        List<Observation> traffic = List.of(seen("a.example.co.uk", 443, "x"), seen("b.example.co.uk", 443, "x"),
                seen("alice.github.io", 443, "x"), seen("bob.github.io", 443, "x"),
                seen("api.stripe.com", 443, "x"), seen("example.co.uk", 443, "x"), seen("co.uk", 443, "x"));

        assertThat(patterns(PolicySuggestion.suggest("p", traffic, false).document())).noneMatch(p -> p.startsWith("*"));
        JsonNode grouped = PolicySuggestion.suggest("p", traffic, true).document();
        // github.io is a public suffix (PSL private section): alice and bob are different owners.
        assertThat(patterns(grouped)).containsExactly("*.example.co.uk [443]", "alice.github.io [443]",
                "api.stripe.com [443]", "bob.github.io [443]", "co.uk [443]", "example.co.uk [443]");
        assertThat(Policies.decide(grouped, "c.example.co.uk", 443)).isEqualTo(Verdict.ALLOW);
        assertThat(Policies.decide(grouped, "other.co.uk", 443)).isEqualTo(Verdict.DENY);
        assertThat(Policies.decide(grouped, "carol.github.io", 443)).isEqualTo(Verdict.DENY);
    }

    @Test
    void registrableParentIsNeverAPublicSuffix() {
        assertThat(PolicySuggestion.registrableParent("a.b.example.com")).contains("example.com");
        assertThat(PolicySuggestion.registrableParent("example.com")).isEmpty();
        assertThat(PolicySuggestion.registrableParent("alice.github.io")).isEmpty();
        assertThat(PolicySuggestion.registrableParent("x.alice.github.io")).contains("alice.github.io");
        assertThat(PolicySuggestion.registrableParent("db.internal")).isEmpty();
    }

    @Test
    void anEmptyObservationWindowGivesAValidDenyEverythingDraft() {
        JsonNode doc = PolicySuggestion.suggest("quiet", List.of(), false).document();

        assertThat(patterns(doc)).isEmpty();
        assertThat(Policies.decide(doc, "api.openai.com", 443)).isEqualTo(Verdict.DENY);
    }

    @Test
    void observationRejectsAPortOfZero() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Observation(new Host.DomainHost("a.com"), 0, "a", "j"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
