package dev.clawstream.enforcer.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519Test {

    private static final HexFormat HEX = HexFormat.of();
    /** The order L of the Ed25519 base point (RFC 8032 section 5.1). */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    /** One RFC 8032 section 7.1 test: secret key, public key, message, signature. */
    record Vector(String name, byte[] secret, byte[] publicKey, byte[] message, byte[] signature) {
    }

    /** All five Ed25519 tests of RFC 8032 section 7.1, from src/test/resources/crypto/rfc8032-ed25519.tsv. */
    static List<Vector> rfc8032() throws IOException {
        try (InputStream in = Ed25519Test.class.getResourceAsStream("/crypto/rfc8032-ed25519.tsv")) {
            List<Vector> vectors = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                vectors.add(new Vector(f[0], HEX.parseHex(f[1]), HEX.parseHex(f[2]), HEX.parseHex(f[3]), HEX.parseHex(f[4])));
            }
            return vectors;
        }
    }

    @TempDir
    Path dir;

    @Test
    void theVectorFileHoldsAllFiveRfc8032Tests() throws IOException {
        assertThat(rfc8032()).extracting(Vector::name)
                .containsExactly("TEST 1", "TEST 2", "TEST 3", "TEST 1024", "TEST SHA(abc)");
        assertThat(rfc8032().get(3).message()).hasSize(1023);
    }

    @Test
    void signsAndVerifiesEveryRfc8032Vector() throws IOException {
        List<String> failures = new ArrayList<>();
        for (Vector v : rfc8032()) {
            Signer signer = Keys.privateKeyFromRaw(v.secret());
            Verifier verifier = Keys.publicKeyFromRaw(v.publicKey());
            String signature = HEX.formatHex(signer.sign(v.message()));
            if (!signature.equals(HEX.formatHex(v.signature()))) {
                failures.add(v.name() + ": signed " + signature + ", RFC says " + HEX.formatHex(v.signature()));
            }
            try {
                verifier.verify(v.message(), v.signature());
            } catch (SignatureInvalidException e) {
                failures.add(v.name() + ": the RFC's signature did not verify: " + e.getMessage());
            }
            if (!signer.keyId().equals(verifier.keyId())) {
                failures.add(v.name() + ": the public key derived from the secret is not the RFC's");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyTamperedVectorIsRejected() throws IOException {
        Verifier stranger = Keys.generate().verifier();
        List<String> accepted = new ArrayList<>();
        for (Vector v : rfc8032()) {
            Verifier verifier = Keys.publicKeyFromRaw(v.publicKey());
            for (int bit = 0; bit < v.signature().length * 8; bit++) {
                expectRejected(verifier, v.message(), flip(v.signature(), bit), v.name() + " signature bit " + bit, accepted);
            }
            for (int bit = 0; bit < Math.min(v.message().length * 8, 256); bit++) {
                expectRejected(verifier, flip(v.message(), bit), v.signature(), v.name() + " message bit " + bit, accepted);
            }
            byte[] longer = Arrays.copyOf(v.message(), v.message().length + 1);
            expectRejected(verifier, longer, v.signature(), v.name() + " message + one zero byte", accepted);
            expectRejected(verifier, v.message(), Arrays.copyOf(v.signature(), 63), v.name() + " truncated", accepted);
            expectRejected(verifier, v.message(), Arrays.copyOf(v.signature(), 65), v.name() + " one byte longer", accepted);
            expectRejected(verifier, v.message(), new byte[0], v.name() + " empty signature", accepted);
            expectRejected(verifier, v.message(), new byte[64], v.name() + " all-zero signature", accepted);
            expectRejected(verifier, v.message(), plusGroupOrder(v.signature()), v.name() + " S + L (malleated)", accepted);
            expectRejected(stranger, v.message(), v.signature(), v.name() + " other key", accepted);
        }
        assertThat(accepted).isEmpty();
    }

    @Test
    void aFailedVerificationNamesTheKeyAndNothingSecret() throws IOException {
        Vector v = rfc8032().get(0);
        Verifier verifier = Keys.publicKeyFromRaw(v.publicKey());

        assertThatThrownBy(() -> verifier.verify(v.message(), flip(v.signature(), 0)))
                .isInstanceOfSatisfying(SignatureInvalidException.class, e -> {
                    assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.BAD_SIGNATURE);
                    assertThat(e.keyId()).contains(verifier.keyId());
                    assertThat(e.getMessage()).contains(verifier.keyId().toString())
                            .doesNotContain(HEX.formatHex(v.secret())).doesNotContain(HEX.formatHex(v.signature()));
                });
        assertThatThrownBy(() -> verifier.verify(v.message(), new byte[63]))
                .hasMessage("signature by " + verifier.keyId() + " has 63 bytes, want 64");
    }

    @Test
    void smallOrderPublicKeysAreRefused() {
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral element: every "signature" (R = identity, S = 0) would verify under it

        assertThatThrownBy(() -> Keys.publicKeyFromRaw(identity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a valid Ed25519 public key (not on the curve, or of small order)");
    }

    @Test
    void keyIdIsSha256OfTheRawPublicKey() throws IOException {
        Vector v = rfc8032().get(0);
        assertThat(Keys.publicKeyFromRaw(v.publicKey()).keyId().toString())
                .isEqualTo("sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9");
    }

    @Test
    void pemFilesRoundTripAndThePrivateOneIsOwnerOnly() throws Exception {
        Signer signer = Keys.generate();
        Keys.write(signer, dir, "publisher");

        Signer read = Keys.readPrivateKey(dir.resolve("publisher.key.pem"));
        Verifier readPublic = Keys.readPublicKey(dir.resolve("publisher.pub.pem"));
        byte[] signature = read.sign(new byte[] {1, 2, 3});
        readPublic.verify(new byte[] {1, 2, 3}, signature);

        assertThat(read.keyId()).isEqualTo(signer.keyId()).isEqualTo(readPublic.keyId());
        assertThat(Files.getPosixFilePermissions(dir.resolve("publisher.key.pem")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(dir.resolve("publisher.key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("publisher.pub.pem"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(read.toString()).isEqualTo("Signer[" + signer.keyId() + "]");
        assertThat(readPublic.toString()).isEqualTo("Verifier[" + signer.keyId() + "]");
    }

    @Test
    void pemOfAnRfc8032KeyRoundTripsToTheSameKey() throws IOException {
        Vector v = rfc8032().get(1);
        Signer signer = Keys.privateKeyFromRaw(v.secret());
        Path written = dir.resolve("rfc");
        Keys.write(signer, written, "test2");

        Signer read = Keys.readPrivateKey(written.resolve("test2.key.pem"));
        assertThat(read.sign(v.message())).isEqualTo(v.signature());
        assertThat(Keys.readPublicKey(written.resolve("test2.pub.pem")).keyId())
                .isEqualTo(Keys.publicKeyFromRaw(v.publicKey()).keyId());
    }

    @Test
    void refusesToOverwriteAnExistingKey() throws Exception {
        Keys.write(Keys.generate(), dir, "k");
        assertThatThrownBy(() -> Keys.write(Keys.generate(), dir, "k"))
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    }

    @Test
    void readsAnOpensslEd25519KeyAndRefusesOtherAlgorithms() {
        // openssl genpkey -algorithm ed25519: the RFC 8410 section 10.3 example private key.
        String rfc8410 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        assertThat(Keys.privateKeyFromPem(rfc8410, "rfc8410").keyId().toString()).startsWith("sha256:");

        // An X25519 key (OID 1.3.101.110) is a key-agreement key, never a signing key.
        String x25519 = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VuBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> Keys.privateKeyFromPem(x25519, "x.pem"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x.pem: key algorithm 1.3.101.110 is not Ed25519 (1.3.101.112); generate one with clawstream keys generate");
    }

    @Test
    void refusesAnRsaKeyAndGarbageWithoutQuotingThem() {
        // openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:512 | openssl pkey -pubout
        String rsa = "-----BEGIN PUBLIC KEY-----\nMFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMAfGbpKbqNt3/A0R5zxneFPAGnquT2b\n"
                + "D3iAe0e3SdQb1vdj+VPe6Db/dPfDwurKPWybczGGf24hiEgAwhBMF68CAwEAAQ==\n-----END PUBLIC KEY-----\n";
        String garbage = "-----BEGIN PUBLIC KEY-----\nTUlJQ0lqQU5CZ2txaGtpRzl3MEJBUUVGQUFPQ0FnOEFNSUlDQ2dL\n-----END PUBLIC KEY-----\n";
        String privateForPublic = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

        List<String> messages = new ArrayList<>();
        for (String pem : List.of(rsa, garbage, privateForPublic)) {
            try {
                Keys.publicKeyFromPem(pem, "k.pem");
                messages.add("accepted");
            } catch (IllegalArgumentException e) {
                messages.add(e.getMessage());
            }
        }
        assertThat(messages).containsExactly(
                "k.pem: key algorithm 1.2.840.113549.1.1.1 is not Ed25519 (1.3.101.112); generate one with clawstream keys generate",
                "k.pem: not an X.509 Ed25519 public key",
                "k.pem: expected a PEM block '-----BEGIN PUBLIC KEY-----'");
    }

    @Test
    void trustedKeysTellAnUnknownKeyFromABadSignature() throws Exception {
        Signer signer = Keys.generate();
        TrustedKeys trusted = TrustedKeys.of(List.of(signer.verifier()));
        byte[] message = {42};
        KeyId stranger = Keys.generate().keyId();

        trusted.verify(signer.keyId(), message, signer.sign(message));
        assertThatThrownBy(() -> trusted.verify(stranger, message, signer.sign(message)))
                .isInstanceOfSatisfying(SignatureInvalidException.class, e -> {
                    assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.UNKNOWN_KEY);
                    assertThat(e.keyId()).contains(stranger);
                });
        assertThatThrownBy(() -> trusted.verify(signer.keyId(), new byte[] {43}, signer.sign(message)))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.BAD_SIGNATURE));
    }

    @Test
    void trustedKeysLoadADirectoryOrAListOfFiles() throws Exception {
        Signer a = Keys.generate();
        Signer b = Keys.generate();
        Keys.write(a, dir, "a");
        Keys.write(b, dir, "b");
        Files.writeString(dir.resolve("notes.txt"), "not a key");

        assertThat(TrustedKeys.load(dir).keyIds()).containsExactlyInAnyOrder(a.keyId(), b.keyId());
        assertThat(TrustedKeys.load(List.of(dir.resolve("b.pub.pem"))).keyIds()).containsExactly(b.keyId());
        assertThat(TrustedKeys.load(dir.resolve("a.pub.pem")).keyIds()).containsExactly(a.keyId());
    }

    private static byte[] flip(byte[] bytes, int bit) {
        byte[] flipped = bytes.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        return flipped;
    }

    /** The same signature with S replaced by S + L: equal modulo L, so only the S < L check rejects it. */
    private static byte[] plusGroupOrder(byte[] signature) {
        byte[] s = Arrays.copyOfRange(signature, 32, 64);
        byte[] bigEndian = reverse(s);
        byte[] sum = new BigInteger(1, bigEndian).add(L).toByteArray();
        byte[] sum32 = new byte[32];
        System.arraycopy(sum, Math.max(0, sum.length - 32), sum32, 32 - Math.min(32, sum.length), Math.min(32, sum.length));
        byte[] out = signature.clone();
        System.arraycopy(reverse(sum32), 0, out, 32, 32);
        return out;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static void expectRejected(Verifier verifier, byte[] message, byte[] signature, String label,
                                       List<String> accepted) {
        try {
            verifier.verify(message, signature);
            accepted.add(label);
        } catch (SignatureInvalidException expected) {
            // rejected, as it must be
        }
    }
}
