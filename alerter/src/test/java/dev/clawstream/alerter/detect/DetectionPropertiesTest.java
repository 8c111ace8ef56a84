package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.TestDecision;
import dev.clawstream.alerter.TestRules;
import dev.clawstream.alerter.alert.Deduplicator;
import dev.clawstream.alerter.rules.RuleSet;
import dev.clawstream.alerter.rules.WellKnownDomains;
import dev.clawstream.schemas.Alert;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DetectionPropertiesTest {

    private static final Lookalikes WELL_KNOWN = new Lookalikes(WellKnownDomains.DOMAINS);

    @Provide
    Arbitrary<String> protectedDomains() {
        return Arbitraries.of(WellKnownDomains.DOMAINS.stream()
                .filter(d -> DomainName.of(d).orElseThrow().registryName().length() >= Lookalikes.MIN_NAME_FOR_EDIT_DISTANCE)
                .toList());
    }

    @Property
    void everyOneEditOfAProtectedNameIsALookalikeUnlessItIsProtectedItself(@ForAll("protectedDomains") String domain,
                                                                           @ForAll @IntRange(min = 0, max = 40) int at,
                                                                           @ForAll @CharRange(from = 'a', to = 'z') char c,
                                                                           @ForAll @IntRange(min = 0, max = 3) int edit) {
        DomainName d = DomainName.of(domain).orElseThrow();
        String name = d.registryName();
        int i = at % name.length();
        String edited = switch (edit) {
            case 0 -> name.substring(0, i) + name.substring(i + 1);
            case 1 -> name.substring(0, i) + c + name.substring(i);
            case 2 -> name.substring(0, i) + c + name.substring(i + 1);
            default -> i + 1 < name.length() ? name.substring(0, i) + name.charAt(i + 1) + name.charAt(i)
                    + name.substring(i + 2) : name + c;
        };
        String candidate = edited + "." + d.registrySuffix();
        Optional<DomainName> parsed = DomainName.of("api." + candidate);
        if (edited.equals(name) || edited.startsWith("-") || parsed.isEmpty()
                || WellKnownDomains.DOMAINS.contains(parsed.get().registryDomain())) {
            return;
        }
        assertThat(WELL_KNOWN.match(parsed.get())).as(candidate).isPresent();
    }

    @Property
    void aProtectedDomainAndItsSubdomainsAreNeverLookalikes(@ForAll("protectedDomains") String domain,
                                                           @ForAll @CharRange(from = 'a', to = 'z') char c) {
        assertThat(WELL_KNOWN.match(DomainName.of(domain).orElseThrow())).isEmpty();
        assertThat(WELL_KNOWN.match(DomainName.of(c + "." + domain).orElseThrow())).isEmpty();
    }

    @Provide
    Arbitrary<String> hosts() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> suffix = Arbitraries.of("com", "co.uk", "github.io", "s3.amazonaws.com", "internal", "io",
                "githubusercontent.com", "tk");
        return Combinators.combine(label.list().ofMinSize(1).ofMaxSize(4), suffix)
                .as((labels, s) -> String.join(".", labels) + "." + s);
    }

    @Property
    void theRegistrableDomainIsATailOfTheHostAndItsOwnRegistrableDomain(@ForAll("hosts") String host) {
        DomainName d = DomainName.of(host).orElseThrow();
        assertThat(host).endsWith(d.registrable());
        assertThat(d.registrable()).endsWith(d.registryDomain());
        assertThat(DomainName.of(d.registrable()).orElseThrow().registrable()).isEqualTo(d.registrable());
        assertThat(d.subdomain().isEmpty() ? d.registrable() : d.subdomain() + "." + d.registrable()).isEqualTo(host);
    }

    @Property
    void hexIdsOfTwentyOrMoreCharactersLookEncoded(@ForAll @IntRange(min = 10, max = 31) int bytes,
                                                   @ForAll("seeds") long seed) {
        byte[] data = new byte[bytes];
        new java.util.Random(seed).nextBytes(data);
        StringBuilder hex = new StringBuilder();
        for (byte b : data) {
            hex.append(String.format("%02x", b));
        }
        String label = hex.toString();
        boolean mixed = label.chars().anyMatch(Character::isDigit) && label.chars().anyMatch(Character::isLetter);
        assertThat(NameShape.encodedLabel(label, 40, 20, 3.6).isPresent()).isEqualTo(mixed);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property
    void entropyNeverExceedsTheLogOfTheAlphabetUsed(@ForAll String s) {
        long distinct = s.chars().map(c -> c < 128 ? c : 128).distinct().count();
        assertThat(NameShape.entropy(s)).isLessThanOrEqualTo(distinct <= 1 ? 0 : Math.log(distinct) / Math.log(2) + 1e-9);
    }

    @Property(tries = 50)
    void nRepeatsWithinTheDedupeWindowMakeOneAlertAndATallyOfNMinusOne(@ForAll @IntRange(min = 1, max = 200) int n) {
        RuleSet rules = TestRules.parse("""
                alerts:
                - name: tld
                  condition: domain matches *.tk
                  severity: high
                  dedupe_window: 10 minutes
                """);
        SuspiciousTldDetector detector = new SuspiciousTldDetector(rules.rules().get(0));
        Deduplicator dedupe = new Deduplicator(rules);
        ScannableState<Alert> open = MemoryState.keyed();
        List<Alert> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Observation o = Observation.of(TestDecision.egress("e-" + i).at(TestDecision.T0.plusSeconds(i))
                    .url("https://x.evil.tk/").build());
            detector.observe(o, 0).forEach(f -> sent.addAll(dedupe.offer(f, open)));
        }
        assertThat(sent).hasSize(1);
        List<Alert> tally = dedupe.closeDue(TestDecision.T0.plusSeconds(600).toEpochMilli(), open);
        if (n == 1) {
            assertThat(tally).isEmpty();
        } else {
            assertThat(tally).singleElement().satisfies(a -> assertThat(a.getSuppressed()).isEqualTo(n - 1));
        }
    }
}
