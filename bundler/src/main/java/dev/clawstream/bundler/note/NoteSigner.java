package dev.clawstream.bundler.note;

import dev.clawstream.enforcer.crypto.Signer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** Signs note texts with one Ed25519 key under one key name (c2sp.org/signed-note). */
public final class NoteSigner {

    private final String keyName;
    private final Signer signer;
    private final byte[] keyId;

    /** @throws IllegalArgumentException when the key name is empty or has a space or '+' */
    public NoteSigner(String keyName, Signer signer) {
        SignedNote.requireKeyName(keyName);
        this.keyName = keyName;
        this.signer = Objects.requireNonNull(signer, "signer");
        this.keyId = NoteKeyId.of(keyName, signer.verifier());
    }

    /** The signed note: {@code text}, a blank line, and this key's signature line over the text's UTF-8 bytes. */
    public SignedNote sign(String text) {
        if (!text.endsWith("\n") || text.isEmpty()) {
            throw new IllegalArgumentException("a note text ends with a newline");
        }
        byte[] signature = signer.sign(text.getBytes(StandardCharsets.UTF_8));
        return new SignedNote(text, List.of(new SignedNote.Signature(keyName, keyId, signature)));
    }

    public String keyName() {
        return keyName;
    }

    @Override
    public String toString() {
        return "NoteSigner[" + keyName + ", " + signer.keyId() + "]";
    }
}
