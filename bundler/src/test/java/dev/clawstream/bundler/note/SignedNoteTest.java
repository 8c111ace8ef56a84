package dev.clawstream.bundler.note;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.crypto.Keys;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.Verifier;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedNoteTest {

    /**
     * The example of golang.org/x/mod/sumdb/note (package documentation and note_test.go): signer key
     * {@code PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALV...}, verifier key
     * {@code PeterNeumann+c74f20a3+ARpc2QcU...}. Another implementation's bytes, so agreeing with them
     * shows our key IDs, text and signature lines are the signed-note format and not our reading of it.
     */
    static final String GO_SIGNER_KEY = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String GO_VERIFIER_KEY = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    private static Signer goSigner() {
        byte[] blob = Base64.getDecoder().decode(GO_SIGNER_KEY);
        return Keys.privateKeyFromRaw(Arrays.copyOfRange(blob, 1, blob.length));
    }

    private static Verifier goVerifier() {
        byte[] blob = Base64.getDecoder().decode(GO_VERIFIER_KEY);
        return Keys.publicKeyFromRaw(Arrays.copyOfRange(blob, 1, blob.length));
    }

    @Test
    void signsTheGoReferenceNoteByteForByte() {
        NoteSigner signer = new NoteSigner("PeterNeumann", goSigner());

        assertThat(signer.sign(GO_TEXT).format()).isEqualTo(GO_NOTE);
        assertThat(new NoteVerifier("PeterNeumann", goVerifier()).keyIdHex()).isEqualTo("c74f20a3");
    }

    @Test
    void verifiesTheGoReferenceNote() throws VerificationException {
        SignedNote note = SignedNote.parse(GO_NOTE);

        new NoteVerifier("PeterNeumann", goVerifier()).verify(note, Check.SEAL_SIGNATURE);
        assertThat(note.text()).isEqualTo(GO_TEXT);
        assertThat(note.format()).isEqualTo(GO_NOTE);
    }

    @Test
    void signaturesOfUnknownKeysAreIgnoredButAKnownKeysBadSignatureRejectsTheNote() throws VerificationException {
        Signer other = Keys.generate();
        String withStranger = GO_NOTE + new NoteSigner("Stranger", other).sign(GO_TEXT).signatures().get(0).line();
        new NoteVerifier("PeterNeumann", goVerifier()).verify(SignedNote.parse(withStranger), Check.SEAL_SIGNATURE);

        // Same name and key ID as the trusted key, but a signature it did not make.
        SignedNote.Signature good = SignedNote.parse(GO_NOTE).signatures().get(0);
        byte[] bad = good.signature();
        bad[10] ^= 1;
        String withForgery = GO_NOTE + new SignedNote.Signature("PeterNeumann", good.keyId(), bad).line();
        assertThatThrownBy(() -> new NoteVerifier("PeterNeumann", goVerifier())
                .verify(SignedNote.parse(withForgery), Check.SEAL_SIGNATURE))
                .isInstanceOfSatisfying(VerificationException.class,
                        e -> assertThat(e.check()).isEqualTo(Check.SEAL_SIGNATURE));
    }

    @Test
    void everyTamperedCheckpointNoteIsRejected() throws VerificationException {
        Signer bundler = Keys.generate();
        String origin = Checkpoint.origin("clawstream/bundles", "job-1");
        Checkpoint checkpoint = new Checkpoint(origin, 5, new byte[32]);
        String good = new NoteSigner(origin, bundler).sign(checkpoint.text()).format();
        NoteVerifier verifier = new NoteVerifier(origin, bundler.verifier());
        verifier.verify(SignedNote.parse(good), Check.SEAL_SIGNATURE);
        assertThat(Checkpoint.parse(SignedNote.parse(good).text())).isEqualTo(checkpoint);

        Map<String, String> tampered = new LinkedHashMap<>();
        tampered.put("size changed", good.replace("\n5\n", "\n6\n"));
        tampered.put("size with leading zero", good.replace("\n5\n", "\n05\n"));
        tampered.put("root changed", good.replace("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        tampered.put("origin of another job", good.replace("/job-1\n", "/job-2\n"));
        tampered.put("extension line added", good.replace("AAAAAAAA=\n", "AAAAAAAA=\nextra\n"));
        tampered.put("blank line removed", good.replace("=\n\n\u2014", "=\n\u2014"));
        tampered.put("signature bit flipped", flipSignatureBit(good));
        tampered.put("signature removed", good.substring(0, good.indexOf('\u2014')));
        tampered.put("key name changed", good.replace("\u2014 " + origin + " ", "\u2014 clawstream/bundles/job-2 "));
        tampered.put("re-signed by another key", new NoteSigner(origin, Keys.generate()).sign(checkpoint.text()).format());
        tampered.put("signature not canonical base64", good.replace("=\n\u2014", "=\n\u2014").replaceAll("=\n$", "\n"));
        tampered.put("carriage return in text", good.replace("job-1\n", "job-1\r\n"));
        tampered.put("trailing text after signatures", good + "x");
        tampered.put("no final newline", good.substring(0, good.length() - 1));
        tampered.put("em dash replaced by hyphen", good.replace('\u2014', '-'));
        tampered.put("empty", "");

        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, String> t : tampered.entrySet()) {
            assertThat(t.getValue()).as(t.getKey()).isNotEqualTo(good);
            try {
                SignedNote note = SignedNote.parse(t.getValue());
                verifier.verify(note, Check.SEAL_SIGNATURE);
                Checkpoint read = Checkpoint.parse(note.text());
                if (read.equals(checkpoint)) {
                    accepted.add(t.getKey());
                }
            } catch (VerificationException expected) {
                // rejected, as it must be
            }
        }
        assertThat(accepted).as("tampered notes that verified as the original checkpoint").isEmpty();
    }

    @Test
    void originsPercentEncodeEverythingButUnreservedCharacters() {
        assertThat(Checkpoint.origin("clawstream/bundles", "job-1_a.b~c")).isEqualTo("clawstream/bundles/job-1_a.b~c");
        assertThat(Checkpoint.origin("p", "a b+c/d\n\u00e9")).isEqualTo("p/a%20b%2Bc%2Fd%0A%C3%A9");
    }

    @Test
    void aTlogProofRoundTripsAndRefusesMalformedLines() throws VerificationException {
        TlogProof proof = new TlogProof(java.util.Optional.of(new byte[]{1, 2, 3}), 7,
                List.of(new byte[32], HexFormat.of().parseHex("ff".repeat(32))), GO_NOTE);
        String text = proof.format();
        assertThat(text).startsWith("c2sp.org/tlog-proof@v1\nextra AQID\nindex 7\n");
        assertThat(TlogProof.parse(text)).isEqualTo(proof);

        for (String bad : List.of(text.replace("tlog-proof@v1", "tlog-proof@v2"), text.replace("index 7", "index 07"),
                text.replace("index 7", "index -1"), text.replace("extra AQID", "extra AQI"),
                text.replace("\n\nIf", "\nIf"), text.replace("index 7\n", ""))) {
            assertThatThrownBy(() -> TlogProof.parse(bad)).as(bad).isInstanceOf(VerificationException.class);
        }
    }

    private static String flipSignatureBit(String note) {
        int at = note.lastIndexOf(' ') + 1;
        byte[] blob = Base64.getDecoder().decode(note.substring(at, note.length() - 1));
        blob[20] ^= 4;
        return note.substring(0, at) + Base64.getEncoder().encodeToString(blob) + "\n";
    }
}
