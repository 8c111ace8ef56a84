package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.schemas.AlertKind;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Severity;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.clawstream.alerter.TestDecision.T0;
import static org.assertj.core.api.Assertions.assertThat;

class RedirectToNewDomainDetectorTest {

    private static final String PROXY = "https://proxy.golang.org/golang.org/x/net/@v/v0.1.0.zip";

    private final RedirectToNewDomainDetector detector = new RedirectToNewDomainDetector(
            TestRules.rule("redirect_to_new_domain", "retention: 2 days"), MemoryState.windowed());

    private Observation observe(TestDecision d) {
        return Observation.of(d.build());
    }

    @Test
    void flagsARedirectFromAnAllowedSourceToADomainTheFleetNeverContacted() {
        var found = detector.observe(observe(TestDecision.egress("e-1").url("https://cdn.new-mirror.net/x.zip")
                .denied(ReasonCode.DEFAULT_DENY).redirectedFrom(PROXY, Verdict.ALLOW)), 0);

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.rule().condition().kind()).isEqualTo(AlertKind.REDIRECT_TO_NEW_DOMAIN);
            assertThat(f.subject()).isEqualTo("new-mirror.net");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.detail()).contains("proxy.golang.org").contains("new-mirror.net");
        });
    }

    @Test
    void aDomainTheFleetAlreadyContactedIsNotNew() {
        detector.observe(observe(TestDecision.egress("e-0").at(T0).url("https://www.new-mirror.net/")), 0);

        assertThat(detector.observe(observe(TestDecision.egress("e-1").at(T0.plusSeconds(60))
                .url("https://cdn.new-mirror.net/x.zip").redirectedFrom(PROXY, Verdict.ALLOW)), 0)).isEmpty();
    }

    @Test
    void aRedirectFromASourceThePolicyDeniesIsNotThisDetectorsConcern() {
        assertThat(detector.observe(observe(TestDecision.egress("e-1").url("https://cdn.new-mirror.net/x.zip")
                .redirectedFrom("https://paste.example.net/r", Verdict.DENY)), 0)).isEmpty();
        // ...and the target is remembered all the same: a later redirect to it is not a first contact.
        assertThat(detector.observe(observe(TestDecision.egress("e-2").url("https://cdn.new-mirror.net/y.zip")
                .redirectedFrom(PROXY, Verdict.ALLOW)), 0)).isEmpty();
    }

    @Test
    void aRedirectWithinOneRegistrableDomainIsNotFlagged() {
        assertThat(detector.observe(observe(TestDecision.egress("e-1").url("https://dl.golang.org/go.tgz")
                .redirectedFrom("https://www.golang.org/dl", Verdict.ALLOW)), 0)).isEmpty();
    }

    @Test
    void forgottenAfterTheRetentionTheDomainIsNewAgain() {
        detector.observe(observe(TestDecision.egress("e-0").at(T0).url("https://www.new-mirror.net/")), 0);

        assertThat(detector.observe(observe(TestDecision.egress("e-1").at(T0.plus(Duration.ofDays(2)).plusSeconds(1))
                .url("https://cdn.new-mirror.net/x.zip").redirectedFrom(PROXY, Verdict.ALLOW)), 0)).hasSize(1);
    }
}
