package dev.clawstream.bundler.note;

import dev.clawstream.enforcer.crypto.Verifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The 32 raw bytes of an Ed25519 public key, which the C2SP signed-note key ID hashes. The crypto
 * package deliberately hands out no raw key bytes, so they are read back from the key's X.509
 * SubjectPublicKeyInfo, whose encoding for Ed25519 is one fixed 12-byte header and the key (RFC 8410
 * section 4).
 */
final class Ed25519PublicKey {

    static final int LENGTH = 32;
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519PublicKey() {
    }

    static byte[] raw(Verifier key) {
        String pem = key.publicKeyPem();
        String body = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "");
        byte[] der = Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII));
        if (der.length != SPKI_PREFIX.length + LENGTH
                || !Arrays.equals(Arrays.copyOf(der, SPKI_PREFIX.length), SPKI_PREFIX)) {
            throw new IllegalStateException("not an Ed25519 SubjectPublicKeyInfo: " + key);
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }
}
