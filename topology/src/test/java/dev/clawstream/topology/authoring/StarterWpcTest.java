package dev.clawstream.topology.authoring;

import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StarterWpcTest {

    @ParameterizedTest
    @CsvSource({
            "api.openai.com, 443, ALLOW",
            "api.anthropic.com, 443, ALLOW",
            "registry.npmjs.org, 443, ALLOW",
            "pypi.org, 443, ALLOW",
            "github.com, 443, ALLOW",
            "api.openai.com, 80, DENY",
            "api.openai.com, 8443, DENY",
            "evil.openai.com, 443, DENY",
            "example.com, 443, DENY",
            "169.254.169.254, 80, DENY",
            "10.0.0.1, 443, DENY",
    })
    void allowsTheDefaultTableOn443AndNothingElse(String host, int port, Verdict expected) {
        assertThat(Policies.decide(StarterWpc.document("default-egress"), host, port)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"api.openai.com", "registry.npmjs.org"})
    void everyRuleCarriesItsPurposeAsANote(String host) {
        var domains = StarterWpc.document("d").path("allow").path("domains");
        boolean found = false;
        for (var rule : domains) {
            if (rule.path("pattern").asText().equals(host)) {
                found = true;
                assertThat(rule.path("note").asText()).isNotBlank();
                assertThat(rule.path("ports").toString()).isEqualTo("[443]");
            }
        }
        assertThat(found).isTrue();
    }
}
