package dev.clawstream.bundler.note;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.Verifier;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Accepts a signed note only when the one trusted key, under its key name, signed its text. As the
 * signed-note spec requires: signatures of unknown keys are ignored (a key is known by name and key ID
 * together), a known key's signature that fails rejects the note, and a note with no known key's
 * signature is rejected.
 */
public final class NoteVerifier {

    private final String keyName;
    private final Verifier key;
    private final byte[] keyId;

    public NoteVerifier(String keyName, Verifier key) {
        SignedNote.requireKeyName(keyName);
        this.keyName = keyName;
        this.key = Objects.requireNonNull(key, "key");
        this.keyId = NoteKeyId.of(keyName, key);
    }

    /**
     * @param check what to name a missing or bad signature as (the seal, a checkpoint, a proof's checkpoint)
     */
    public void verify(SignedNote note, Check check) throws VerificationException {
        boolean verified = false;
        for (SignedNote.Signature s : note.signatures()) {
            if (!s.keyName().equals(keyName) || !Arrays.equals(s.keyId(), keyId)) {
                continue;
            }
            try {
                key.verify(note.text().getBytes(StandardCharsets.UTF_8), s.signature());
                verified = true;
            } catch (SignatureInvalidException e) {
                throw VerificationException.of(check, "signature of " + keyName + " (key ID "
                        + HexFormat.of().formatHex(keyId) + ", " + key.keyId() + ") does not verify");
            }
        }
        if (!verified) {
            throw VerificationException.of(check, "no signature by " + keyName + " with key ID "
                    + HexFormat.of().formatHex(keyId) + " (" + key.keyId() + ") among "
                    + note.signatures().size() + " signature(s)");
        }
    }

    public String keyName() {
        return keyName;
    }

    /** The 4-byte key ID in hex, as a person compares it with a signature line. */
    public String keyIdHex() {
        return HexFormat.of().formatHex(keyId);
    }
}
