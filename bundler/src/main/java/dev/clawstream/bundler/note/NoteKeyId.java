package dev.clawstream.bundler.note;

import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.enforcer.crypto.Verifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The signed-note key ID of an Ed25519 key under a key name:
 * {@code SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]} (c2sp.org/signed-note, "Ed25519
 * signatures"). The name is inside the hash, so the same key under another name has another ID.
 */
final class NoteKeyId {

    /** Signature type identifier byte assigned to Ed25519 by the signed-note spec. */
    static final byte ED25519 = 0x01;

    private NoteKeyId() {
    }

    static byte[] of(String keyName, Verifier key) {
        byte[] hash = TreeHasher.sha256(keyName.getBytes(StandardCharsets.UTF_8), new byte[]{'\n', ED25519},
                Ed25519PublicKey.raw(key));
        return Arrays.copyOf(hash, 4);
    }
}
