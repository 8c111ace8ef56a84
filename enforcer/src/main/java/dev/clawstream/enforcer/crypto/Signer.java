package dev.clawstream.enforcer.crypto;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.util.Objects;

/** Signs with one Ed25519 private key. Its {@code toString} names the key id only, never key material. */
public final class Signer {

    private final Ed25519PrivateKeyParameters privateKey;
    private final Verifier verifier;

    Signer(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.verifier = new Verifier(privateKey.generatePublicKey());
    }

    /** The 64-byte Ed25519 signature of {@code message} (RFC 8032, pure Ed25519). */
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    public KeyId keyId() {
        return verifier.keyId();
    }

    /** For {@link Keys} only: the key never leaves this package otherwise. */
    Ed25519PrivateKeyParameters privateKey() {
        return privateKey;
    }

    /** The verifier of the matching public key. */
    public Verifier verifier() {
        return verifier;
    }

    @Override
    public String toString() {
        return "Signer[" + keyId() + "]";
    }
}
