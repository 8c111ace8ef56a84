package dev.clawstream.enforcer.stream;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.KeyId;
import dev.clawstream.enforcer.crypto.SignatureInvalidException;
import dev.clawstream.enforcer.crypto.TrustedKeys;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.enforcer.wpc.WpcSignature;
import dev.clawstream.schemas.WpcRecord;

/**
 * Whether a {@code wpc.registry} record may be used: its document parses, hashes to both the record's
 * hash and its key (so nobody can file a policy under another policy's address), carries the name the
 * record claims (so the name index cannot be hijacked), and is signed by a trusted publisher.
 */
public final class WpcRecordCheck {

    private final TrustedKeys publishers;

    public WpcRecordCheck(TrustedKeys publishers) {
        this.publishers = publishers;
    }

    public void verify(String key, WpcRecord wpc) throws UntrustedWpcException {
        WpcParseResult parsed = WpcParser.parse(wpc.getDocument(), "wpc.registry/" + key);
        if (parsed instanceof WpcParseResult.Invalid invalid) {
            throw new UntrustedWpcException("invalid document: " + invalid.errors().get(0));
        }
        WpcParseResult.Valid valid = (WpcParseResult.Valid) parsed;
        String hash = valid.document().hash().toString();
        if (!hash.equals(wpc.getWpcHash()) || !hash.equals(key)) {
            throw new UntrustedWpcException("document hashes to " + hash + ", record says " + wpc.getWpcHash()
                    + ", key " + key);
        }
        if (!valid.wpc().name().equals(wpc.getName())) {
            throw new UntrustedWpcException("document is named '" + valid.wpc().name() + "', record says '"
                    + wpc.getName() + "'");
        }
        try {
            byte[] signature = new byte[wpc.getSignature().remaining()];
            wpc.getSignature().duplicate().get(signature);
            new WpcSignature(Sha256Hash.parse(hash), KeyId.parse(wpc.getPublisherKeyId()), signature)
                    .verify(valid.document(), publishers);
        } catch (SignatureInvalidException | IllegalArgumentException e) {
            throw new UntrustedWpcException("signature: " + e.getMessage());
        }
    }

    /** A WPC record that must never be used, and why. */
    public static final class UntrustedWpcException extends Exception {
        UntrustedWpcException(String reason) {
            super(reason);
        }
    }
}
