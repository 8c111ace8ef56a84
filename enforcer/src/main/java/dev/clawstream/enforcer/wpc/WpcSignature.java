package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.Signer;
import dev.clawstream.enforcer.crypto.TrustedKeys;

import java.util.Objects;

/**
 * A publisher's Ed25519 signature over a WPC's RFC 8785 canonical bytes, with the hash it was made
 * for and the publisher's key id. The canonical bytes are signed (not the file as written) so that
 * reformatting a policy never breaks its signature and two spellings of one policy share one.
 */
public record WpcSignature(Sha256Hash wpcHash, KeyId publisherKeyId, byte[] signature) {

    public WpcSignature {
        Objects.requireNonNull(wpcHash, "wpcHash");
        Objects.requireNonNull(publisherKeyId, "publisherKeyId");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    public static WpcSignature sign(Signer publisher, WpcDocument document) {
        return new WpcSignature(document.hash(), publisher.keyId(), publisher.sign(document.canonicalBytes()));
    }

    /** Returns normally only when this signature is a trusted publisher's, over exactly {@code document}. */
    public void verify(WpcDocument document, TrustedKeys publishers) throws SignatureInvalidException {
        if (!wpcHash.equals(document.hash())) {
            throw new SignatureInvalidException(SignatureInvalidException.Failure.BAD_SIGNATURE,
                    "signature is for WPC " + wpcHash + ", document is " + document.hash());
        }
        publishers.verify(publisherKeyId, document.canonicalBytes(), signature);
    }
}
