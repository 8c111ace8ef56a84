package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DomainDetectorsTest {

    private static final long NOW = TestDecision.T0.toEpochMilli();

    private static Observation to(String url) {
        return Observation.of(TestDecision.egress("e-1").url(url).build());
    }

    private static Observation deniedTo(String url) {
        return Observation.of(TestDecision.egress("e-1").url(url).denied(ReasonCode.DEFAULT_DENY).build());
    }

    @Test
    void registrableDomainFollowsThePublicSuffixList() {
        // githubusercontent.com is in the list's private section: each subdomain is its own registrable
        // domain, but the brand bought at the registrar is githubusercontent.com.
        assertThat(DomainName.of("objects.githubusercontent.com").orElseThrow().registrable())
                .isEqualTo("objects.githubusercontent.com");
        assertThat(DomainName.of("objects.githubusercontent.com").orElseThrow().registryDomain())
                .isEqualTo("githubusercontent.com");
        assertThat(DomainName.of("a.b.example.co.uk").orElseThrow().registrable()).isEqualTo("example.co.uk");
        // github.io is a private public suffix: each user's pages are their own registrable domain.
        assertThat(DomainName.of("evil.github.io").orElseThrow().registrable()).isEqualTo("evil.github.io");
        assertThat(DomainName.of("evil.github.io").orElseThrow().registryName()).isEqualTo("github");
        assertThat(DomainName.of("build.corp.internal").orElseThrow().registrable()).isEqualTo("corp.internal");
        assertThat(DomainName.of("co.uk")).isEmpty();
        assertThat(DomainName.of("api.openai.com").orElseThrow().subdomainLabels()).containsExactly("api");
    }

    @Test
    void suspiciousTldIsCriticalWhenAllowedAndHighWhenDenied() {
        SuspiciousTldDetector d = new SuspiciousTldDetector(TestRules.rule("domain matches *.xyz, *.tk, .zip"));
        assertThat(d.observe(to("https://cdn.payload.xyz/a"), NOW)).singleElement()
                .satisfies(f -> {
                    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(f.subject()).isEqualTo("payload.xyz");
                });
        assertThat(d.observe(deniedTo("https://free.tk/"), NOW)).singleElement()
                .extracting(Finding::severity).isEqualTo(Severity.HIGH);
        assertThat(d.observe(to("https://github.com/setup.zip"), NOW)).isEmpty();
        assertThat(d.observe(to("https://api.openai.com/"), NOW)).isEmpty();
        assertThat(d.observe(to("https://xyz.com/"), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "opnai.com",             // omission
            "opennai.com",           // repetition
            "oepnai.com",            // transposition
            "openaii.com",           // appended character
            "ipenai.com",            // keyboard replacement
            "openaj.com",            // keyboard replacement (j next to i)
            "open-ai.com",           // hyphenation
            "openal.com",            // one edit
            "operai.com",            // bit flip n->r? (0x6e ^ 0x1c is not one bit; one edit then)
            "anthrop1c.com",         // confusable digit
            "anthropic.co",          // TLD swap
            "openai-login.com",      // added word
            "secure-github.com",     // added word
            "githuh.com",            // keyboard / bit flip
            "pyp1.org",              // confusable
            "xn--pypi-9ld.org",      // pypі.org with a Cyrillic і
            "xn--80ak6aa92e.com",    // аррӏе-style all-Cyrillic: must not crash even if unrelated
    })
    void lookalikesOfWellKnownDomainsAreFound(String registrable) {
        Lookalikes l = new Lookalikes(dev.clawstream.alerter.rules.WellKnownDomains.DOMAINS);
        DomainName d = DomainName.of("api." + registrable).orElseThrow();
        if (registrable.equals("xn--80ak6aa92e.com")) {
            assertThat(l.match(d)).isEmpty();
            return;
        }
        assertThat(l.match(d)).as(registrable).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.openai.com", "files.pythonhosted.org", "objects.githubusercontent.com",
            "registry.npmjs.org", "github.com", "pypi.org", "api.anthropic.com", "example.com", "wikipedia.org",
            "stackoverflow.com", "readthedocs.io", "arxiv.org", "kaggle.com", "login.microsoftonline.com",
            "storage.googleapis.com", "hooks.slack.com", "api.stripe.com", "huggingface.co", "proxy.golang.org",
            "index.crates.io", "repo1.maven.org", "registry-1.docker.io", "production.cloudflare.docker.com"})
    void realHostsAreNotLookalikes(String host) {
        Lookalikes l = new Lookalikes(dev.clawstream.alerter.rules.WellKnownDomains.DOMAINS);
        assertThat(l.match(DomainName.of(host).orElseThrow())).as(host).isEmpty();
    }

    @Test
    void unicodeConfusableIsNamedAsSuch() {
        Lookalikes l = new Lookalikes(List.of("paypal.com"));
        // pаypal.com with a Cyrillic а (U+0430), in its A-label form as the enforcer canonicalises it.
        DomainName d = DomainName.of("xn--pypal-4ve.com").orElseThrow();
        assertThat(l.match(d)).hasValueSatisfying(m -> {
            assertThat(m.protectedDomain()).isEqualTo("paypal.com");
            assertThat(m.technique()).isEqualTo("confusable characters");
        });
    }

    @Test
    void brandSpelledOutInSomeoneElsesSubdomainIsALookalike() {
        LookalikeDetector d = new LookalikeDetector(TestRules.rule("domain resembles openai.com"),
                new Lookalikes(List.of("openai.com")));
        assertThat(d.observe(to("https://api.openai.com.evil.net/v1"), NOW)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("brand in subdomain"));
        assertThat(d.observe(to("https://api.openai.com/v1"), NOW)).isEmpty();
    }

    @Test
    void lookalikeDetectorReportsTheProtectedDomainAndSeverity() {
        LookalikeDetector d = new LookalikeDetector(TestRules.rule("domain resembles well_known"),
                new Lookalikes(dev.clawstream.alerter.rules.WellKnownDomains.DOMAINS));
        assertThat(d.observe(deniedTo("https://files.pythonhosted.org.pyhton.org/pkg"), NOW)).singleElement()
                .satisfies(f -> {
                    assertThat(f.detail()).contains("python.org");
                    assertThat(f.severity()).isEqualTo(Severity.HIGH);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "mfzwizltoqqgc3demfzxi2lpnzrw63lfmvzhg5dpobqxe.t.attacker.net",   // base32
            "4a6f686e20446f652c20313233204d61696e205374.x.tunnel.example",    // hex (dnscat-style)
            "aGVsbG8td29ybGQtdGhpcy1pcy1leGZpbC0xMjM0NTY.exfil.example",     // base64url
            "k3j5h6g7f8d9s0a1q2w3e4r5t6y7u8i9o0p.dns.example"})
    void tunnelShapedNamesAreFound(String host) {
        TunnelNameDetector d = new TunnelNameDetector(TestRules.rule("tunnel_shaped_name"));
        assertThat(d.observe(to("https://" + host + "/"), NOW)).as(host).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"objects.githubusercontent.com", "d111111abcdef8.cloudfront.net",
            "my-loadbalancer-1234567890.us-west-2.elb.amazonaws.com", "production.cloudflare.docker.com",
            "generativelanguage.googleapis.com", "api-inference.huggingface.co",
            "a1b2c3d4e5f6.execute-api.us-east-1.amazonaws.com", "prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com",
            "1a2b3c4d.ngrok-free.app", "cdn-lfs-us-1.huggingface.co"})
    void ordinaryCloudNamesAreNotTunnels(String host) {
        TunnelNameDetector d = new TunnelNameDetector(TestRules.rule("tunnel_shaped_name"));
        assertThat(d.observe(to("https://" + host + "/"), NOW)).as(host).isEmpty();
    }

    @Test
    void entropyOfUniformAndRepeatedText() {
        assertThat(NameShape.entropy("aaaa")).isZero();
        assertThat(NameShape.entropy("abcd")).isEqualTo(2.0);
        assertThat(NameShape.entropy("")).isZero();
    }

    @Test
    void manyDistinctSubdomainsOfOneParentFromOneAgentFireOnce() {
        SubdomainBurstDetector d = new SubdomainBurstDetector(TestRules.rule("distinct_subdomains > 5 in 1 minute"),
                MemoryState.windowed(), java.time.Duration.ZERO);
        int fired = 0;
        for (int i = 0; i < 6; i++) {
            fired += d.observe(Observation.of(TestDecision.egress("e-" + i).url("https://c" + i + ".t.example.net/")
                    .at(TestDecision.T0.plusSeconds(i)).build()), NOW).size();
            // Repeats of one name are not new names.
            fired += d.observe(Observation.of(TestDecision.egress("r-" + i).url("https://c0.t.example.net/")
                    .at(TestDecision.T0.plusSeconds(i)).build()), NOW).size();
        }
        assertThat(fired).isEqualTo(1);
        // Another agent, another parent: counted apart.
        assertThat(d.observe(Observation.of(TestDecision.egress("x").agent("agent-2").url("https://c9.t.example.net/")
                .build()), NOW)).isEmpty();
    }
}
