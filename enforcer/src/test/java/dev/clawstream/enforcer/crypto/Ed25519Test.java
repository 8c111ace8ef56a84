package dev.clawstream.enforcer.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519Test {

    /** RFC 8032 section 7.1, TEST 1, 2 and 3: secret key, public key, message, signature (hex). */
    private static final String[][] RFC_8032_VECTORS = {
            {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
                    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
                    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
            {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
                    "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
                    "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
            {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                    "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
                    "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    };
    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path dir;

    @Test
    void signsAndVerifiesEveryRfc8032Vector() {
        List<String> failures = new ArrayList<>();
        for (String[] v : RFC_8032_VECTORS) {
            Signer signer = Keys.privateKeyFromRaw(HEX.parseHex(v[0]));
            byte[] message = HEX.parseHex(v[2]);
            String signature = HEX.formatHex(signer.sign(message));
            if (!signature.equals(v[3])) {
                failures.add("vector " + v[1] + ": got signature " + signature + ", want " + v[3]);
            }
            Verifier verifier = Keys.publicKeyFromRaw(HEX.parseHex(v[1]));
            try {
                verifier.verify(message, HEX.parseHex(v[3]));
            } catch (SignatureInvalidException e) {
                failures.add("vector " + v[1] + ": " + e.getMessage());
            }
            if (!signer.keyId().equals(verifier.keyId())) {
                failures.add("vector " + v[1] + ": key ids differ");
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void everyTamperedSignatureOrMessageIsRejected() {
        Signer signer = Keys.privateKeyFromRaw(HEX.parseHex(RFC_8032_VECTORS[2][0]));
        byte[] message = "policy".getBytes(StandardCharsets.UTF_8);
        byte[] signature = signer.sign(message);
        Verifier other = Keys.generate().verifier();
        List<String> accepted = new ArrayList<>();

        for (int bit = 0; bit < signature.length * 8; bit += 37) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            expectRejected(signer.verifier(), message, flipped, "signature bit " + bit, accepted);
        }
        byte[] otherMessage = message.clone();
        otherMessage[0] ^= 1;
        expectRejected(signer.verifier(), otherMessage, signature, "message bit 0", accepted);
        expectRejected(signer.verifier(), message, java.util.Arrays.copyOf(signature, 63), "truncated", accepted);
        expectRejected(signer.verifier(), message, new byte[64], "all zero", accepted);
        expectRejected(other, message, signature, "other key", accepted);

        assertThat(accepted).isEmpty();
    }

    @Test
    void keyIdIsSha256OfTheRawPublicKey() {
        Verifier verifier = Keys.publicKeyFromRaw(HEX.parseHex(RFC_8032_VECTORS[0][1]));
        assertThat(verifier.keyId().toString()).isEqualTo("sha256:" + HEX.formatHex(
                dev.clawstream.enforcer.canonical.Sha256Hash.of(HEX.parseHex(RFC_8032_VECTORS[0][1])).bytes()));
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
        assertThat(read.toString()).isEqualTo("Signer[" + signer.keyId() + "]");
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
    void trustedKeysTellAnUnknownKeyFromABadSignature() throws Exception {
        Signer signer = Keys.generate();
        TrustedKeys trusted = TrustedKeys.of(List.of(signer.verifier()));
        byte[] message = {42};

        trusted.verify(signer.keyId(), message, signer.sign(message));
        assertThatThrownBy(() -> trusted.verify(Keys.generate().keyId(), message, signer.sign(message)))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.UNKNOWN_KEY));
        assertThatThrownBy(() -> trusted.verify(signer.keyId(), new byte[] {43}, signer.sign(message)))
                .isInstanceOfSatisfying(SignatureInvalidException.class,
                        e -> assertThat(e.failure()).isEqualTo(SignatureInvalidException.Failure.BAD_SIGNATURE));
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
