package dev.clawstream.bundler;

import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.note.TlogProof;
import dev.clawstream.enforcer.crypto.Keys;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.clawstream.bundler.JobFixture.BUNDLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntryProofTest {

    @Test
    void everyEntryOfTheExampleIsProvenAgainstTheSealAndCarriesItsEntry() throws Exception {
        BundleDocument doc = JobFixture.exampleBundle().redacted();
        for (DocumentEntry e : doc.entries()) {
            String text = EntryProof.prove(doc, e.index()).format();
            TlogProof proof = TlogProof.parse(text);

            EntryProof.verify(proof, BUNDLER.verifier(), Optional.of("job-1"));
            assertThat(EntryProof.entry(proof)).isEqualTo(e.entry().body());
            assertThat(text).startsWith("c2sp.org/tlog-proof@v1\nextra ").contains("\nindex " + e.index() + "\n")
                    .endsWith(doc.seal());
        }
    }

    @Test
    void theFullAndRedactedBundlesProveTheSameEntryTheSameWay() throws Exception {
        var sealed = JobFixture.exampleBundle();
        assertThat(EntryProof.prove(sealed.full(), 2).format()).isEqualTo(EntryProof.prove(sealed.redacted(), 2).format());
    }

    @Test
    void everyTamperedProofIsRejected() throws Exception {
        BundleDocument doc = JobFixture.exampleBundle().full();
        String good = EntryProof.prove(doc, 2).format();
        EntryProof.verify(TlogProof.parse(good), BUNDLER.verifier(), Optional.of("job-1"));
        TlogProof p = TlogProof.parse(good);
        byte[] leaf = p.extra().orElseThrow();
        String leafB64 = Base64.getEncoder().encodeToString(leaf);

        Map<String, String> tampered = new LinkedHashMap<>();
        tampered.put("index + 1", good.replace("\nindex 2\n", "\nindex 3\n"));
        tampered.put("index - 1", good.replace("\nindex 2\n", "\nindex 1\n"));
        tampered.put("index beyond the tree", good.replace("\nindex 2\n", "\nindex 99\n"));
        tampered.put("entry byte changed", good.replace(leafB64, Base64.getEncoder().encodeToString(flip(leaf, 40))));
        tampered.put("previous hash in the leaf changed", good.replace(leafB64, Base64.getEncoder().encodeToString(flip(leaf, 0))));
        tampered.put("another entry's leaf", good.replace(leafB64, Base64.getEncoder()
                .encodeToString(EntryProof.prove(doc, 3).extra().orElseThrow())));
        tampered.put("no extra line", good.replace("extra " + leafB64 + "\n", ""));
        tampered.put("a path hash flipped", withPath(p, flipHash(p.path(), 0)));
        tampered.put("last path hash dropped", withPath(p, p.path().subList(0, p.path().size() - 1)));
        tampered.put("a path hash appended", withPath(p, append(p.path(), p.path().get(0))));
        tampered.put("path hashes swapped", withPath(p, swap(p.path())));
        tampered.put("checkpoint size changed", good.replace("\n6\n", "\n7\n"));
        tampered.put("seal signature flipped", Tampering.flipSignature(good));
        tampered.put("seal of another key", good.substring(0, good.indexOf("\n\n") + 2)
                + new dev.clawstream.bundler.note.NoteSigner("clawstream/bundles/job-1", Keys.generate())
                .sign(dev.clawstream.bundler.note.SignedNote.parse(doc.seal()).text()).format());
        tampered.put("checkpoint of another job", good.replace("clawstream/bundles/job-1", "clawstream/bundles/job-2"));
        tampered.put("non-canonical entry JSON", good.replace(leafB64, Base64.getEncoder().encodeToString(spaced(leaf))));

        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, String> t : tampered.entrySet()) {
            assertThat(t.getValue()).as(t.getKey()).isNotEqualTo(good);
            try {
                EntryProof.verify(TlogProof.parse(t.getValue()), BUNDLER.verifier(), Optional.of("job-1"));
                accepted.add(t.getKey());
            } catch (VerificationException expected) {
                // rejected, as it must be
            }
        }
        assertThat(accepted).as("tampered proofs that verified").isEmpty();
    }

    @Test
    void aProofOfAnotherJobIsRejectedWhenTheJobIsGiven() throws Exception {
        TlogProof proof = EntryProof.prove(JobFixture.exampleBundle().full(), 1);
        assertThatThrownBy(() -> EntryProof.verify(proof, BUNDLER.verifier(), Optional.of("job-2")))
                .isInstanceOfSatisfying(VerificationException.class, e -> assertThat(e.check()).isEqualTo(Check.ORIGIN));
    }

    private static String withPath(TlogProof p, List<byte[]> path) {
        return new TlogProof(p.extra(), p.index(), path, p.checkpoint()).format();
    }

    private static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i] ^= 1;
        return c;
    }

    private static byte[] spaced(byte[] leaf) {
        byte[] c = new byte[leaf.length + 1];
        System.arraycopy(leaf, 0, c, 0, 33);
        c[33] = ' ';
        System.arraycopy(leaf, 33, c, 34, leaf.length - 33);
        return c;
    }

    private static List<byte[]> flipHash(List<byte[]> path, int i) {
        List<byte[]> c = new ArrayList<>(path);
        c.set(i, flip(path.get(i), 5));
        return c;
    }

    private static List<byte[]> append(List<byte[]> path, byte[] h) {
        List<byte[]> c = new ArrayList<>(path);
        c.add(h);
        return c;
    }

    private static List<byte[]> swap(List<byte[]> path) {
        List<byte[]> c = new ArrayList<>(path);
        c.set(0, path.get(1));
        c.set(1, path.get(0));
        return c;
    }
}
