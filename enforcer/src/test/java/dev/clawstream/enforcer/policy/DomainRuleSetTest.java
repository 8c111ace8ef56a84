package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.Ports;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DomainRuleSetTest {

    private static final EgressRule OPENAI = new EgressRule("/allow/domains/0", new Ports.Listed(List.of(443)));
    private static final EgressRule GITHUB_SUBDOMAINS = new EgressRule("/allow/domains/1", new Ports.SchemeDefault());
    private static final EgressRule API_GITHUB = new EgressRule("/allow/domains/2", new Ports.Listed(List.of(8443)));

    private final DomainRuleSet rules = DomainRuleSet.builder()
            .add("api.openai.com", false, OPENAI)
            .add("github.com", true, GITHUB_SUBDOMAINS)
            .add("api.github.com", false, API_GITHUB)
            .build();

    @Test
    void exactRuleMatchesOnlyThatHost() {
        assertThat(rules.matching("api.openai.com")).containsExactly(OPENAI);
        assertThat(rules.matching("openai.com")).isEmpty();
        assertThat(rules.matching("x.api.openai.com")).isEmpty();
        assertThat(rules.matching("api.openai.com.evil.com")).isEmpty();
        assertThat(rules.matching("evilapi.openai.com")).isEmpty();
    }

    @Test
    void wildcardCoversEveryDepthButNotTheApex() {
        assertThat(rules.matching("raw.github.com")).containsExactly(GITHUB_SUBDOMAINS);
        assertThat(rules.matching("a.b.c.github.com")).containsExactly(GITHUB_SUBDOMAINS);
        assertThat(rules.matching("github.com")).isEmpty();
        assertThat(rules.matching("notgithub.com")).isEmpty();
    }

    @Test
    void exactRuleComesBeforeTheWildcardThatAlsoMatches() {
        assertThat(rules.matching("api.github.com")).containsExactly(API_GITHUB, GITHUB_SUBDOMAINS);
    }

    @Test
    void deeperWildcardComesFirst() {
        EgressRule deep = new EgressRule("/deny/domains/0", new Ports.Every());
        DomainRuleSet nested = DomainRuleSet.builder().add("github.com", true, GITHUB_SUBDOMAINS)
                .add("gist.github.com", true, deep).build();

        assertThat(nested.matching("x.gist.github.com")).containsExactly(deep, GITHUB_SUBDOMAINS);
        assertThat(nested.matching("gist.github.com")).containsExactly(GITHUB_SUBDOMAINS);
    }

    @Property
    void aWildcardMatchesExactlyTheStrictSubdomainsOfItsSuffix(@ForAll("labels") String a, @ForAll("labels") String b,
                                                               @ForAll("labels") String c) {
        String suffix = b + "." + c;
        DomainRuleSet set = DomainRuleSet.builder().add(suffix, true, GITHUB_SUBDOMAINS).build();

        assertThat(set.matching(a + "." + suffix)).containsExactly(GITHUB_SUBDOMAINS);
        assertThat(set.matching(a + "." + a + "." + suffix)).containsExactly(GITHUB_SUBDOMAINS);
        assertThat(set.matching(suffix)).isEmpty();
        assertThat(set.matching(a + suffix)).isEmpty();
        assertThat(set.matching(suffix + ".x9")).isEmpty();
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.startsWith("-") && !s.endsWith("-"));
    }
}
