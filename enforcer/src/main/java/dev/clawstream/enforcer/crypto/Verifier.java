package dev.clawstream.enforcer.crypto;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.util.Objects;

/** Verifies Ed25519 signatures of one public key. */
public final class Verifier {

    /** RFC 8032: an Ed25519 signature is exactly 64 bytes. */
    public static final int SIGNATURE_LENGTH = 64;

    private final Ed25519PublicKeyParameters publicKey;
    private final KeyId keyId;

    Verifier(Ed25519PublicKeyParameters publicKey) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.keyId = KeyId.ofRawPublicKey(publicKey.getEncoded());
    }

    /** Returns normally only when {@code signature} is this key's signature of {@code message}. */
    public void verify(byte[] message, byte[] signature) throws SignatureInvalidException {
        Objects.requireNonNull(message, "message");
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            throw new SignatureInvalidException(SignatureInvalidException.Failure.BAD_SIGNATURE, keyId, "signature by "
                    + keyId + " has " + (signature == null ? 0 : signature.length) + " bytes, want " + SIGNATURE_LENGTH);
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, publicKey);
        verifier.update(message, 0, message.length);
        if (!verifier.verifySignature(signature)) {
            throw new SignatureInvalidException(SignatureInvalidException.Failure.BAD_SIGNATURE, keyId,
                    "signature does not verify with key " + keyId);
        }
    }

    public KeyId keyId() {
        return keyId;
    }

    /** The public key in PEM (X.509 SubjectPublicKeyInfo), to hand to whoever must verify. */
    public String publicKeyPem() {
        return Keys.publicKeyPem(publicKey);
    }

    @Override
    public String toString() {
        return "Verifier[" + keyId + "]";
    }
}
