package dev.clawstream.bundler;

import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.schemas.SealReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every labelled corruption of a sealed bundle is rejected, and named by the check the spec says fails
 * first and the entry it fails at (a byte flipped in each entry, an entry dropped, two reordered, the
 * WPC hash swapped, the signature replaced, the bundle re-signed with another key, ...).
 */
class BundleTamperTest {

    static Map<String, Tampering.Case> family() throws Exception {
        BundleSealer.Sealed sealed = JobFixture.exampleBundle();
        String otherKey = reseal(sealed.full(), Keys.generate());
        String other = BundleSealerTest.longJob(3, 900_000).documents().get(0).toJson();
        return Tampering.family(sealed.full().toJson(), otherKey, other);
    }

    /** The same entries, start and checkpoints' sizes, sealed by another key. */
    static String reseal(BundleDocument doc, dev.clawstream.enforcer.crypto.Signer key) {
        BundleSealer sealer = new BundleSealer(key, SealerConfig.defaults());
        BundleSealer.Appended a = sealer.start(BundleSealerTest.header(), JobFixture.T0);
        List<DocumentEntry> entries = new ArrayList<>(List.of(a.entry()));
        BundleState state = a.state();
        for (DocumentEntry e : doc.entries().subList(1, doc.entries().size() - 1)) {
            a = sealer.append(state, e.entry(), JobFixture.T0);
            state = a.state();
            entries.add(a.entry());
        }
        return sealer.close(state, entries, List.of(), SealReason.JOB_CLOSED, java.util.Optional.of("job finished"),
                JobFixture.T0.plusSeconds(60)).full().toJson();
    }

    @Test
    void everyTamperedBundleIsRejectedWithTheCheckThatFailsFirst() throws Exception {
        Map<String, Tampering.Case> cases = family();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Tampering.Case> c : cases.entrySet()) {
            try {
                BundleVerifier.forKey(BUNDLER.verifier()).verify(c.getValue().document());
                wrong.add(c.getKey() + ": accepted");
            } catch (VerificationException e) {
                long index = e.entryIndex().orElse(Tampering.NO_ENTRY);
                boolean comparedEqual = e.expected() != null && e.expected().equals(e.actual());
                if (e.check() != c.getValue().expected() || index != c.getValue().index() || comparedEqual) {
                    wrong.add(c.getKey() + ": " + e.getMessage() + " (want " + c.getValue().expected() + " at entry "
                            + c.getValue().index() + ")");
                }
            }
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(33);
        assertThat(wrong).as("tampered bundles accepted or rejected for the wrong reason").isEmpty();
    }

    @Test
    void failuresNameTheEntryAndBothValues() throws Exception {
        Tampering.Case flipped = family().get("decision verdict flipped in an entry");
        try {
            BundleVerifier.forKey(BUNDLER.verifier()).verify(flipped.document());
            throw new AssertionError("accepted");
        } catch (VerificationException e) {
            assertThat(e.entryIndex()).hasValue(1);
            assertThat(e.expected()).startsWith("sha256:");
            assertThat(e.actual()).startsWith("sha256:").isNotEqualTo(e.expected());
            assertThat(e.getMessage()).startsWith("CHAIN_LINK at entry 1: ").contains("got sha256:", "want sha256:");
        }
    }

    @Test
    void theRedactedCopyRejectsTheSameCorruptionsOfItsEntries() throws Exception {
        BundleSealer.Sealed sealed = JobFixture.exampleBundle();
        var d = Tampering.parse(sealed.redacted().toJson());
        Tampering.entry(d, 2).with("decision").put("reason", "ALLOWED_DOMAIN");
        var withOpening = Tampering.parse(sealed.redacted().toJson());
        ((com.fasterxml.jackson.databind.node.ObjectNode) Tampering.entries(withOpening).get(1))
                .set("openings", Tampering.parse(sealed.full().toJson()).get("entries").get(1).get("openings"));

        for (String bad : List.of(d.toString(), withOpening.toString())) {
            try {
                BundleVerifier.forKey(BUNDLER.verifier()).verify(bad);
                throw new AssertionError("accepted: " + bad);
            } catch (VerificationException expected) {
                assertThat(expected.check()).isIn(VerificationException.Check.CHAIN_LINK, VerificationException.Check.COMMITMENT);
            }
        }
    }
}
