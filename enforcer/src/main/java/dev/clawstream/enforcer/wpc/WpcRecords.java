package dev.clawstream.enforcer.wpc;

import dev.clawstream.schemas.WpcRecord;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Between a signed WPC and its Avro record on {@code wpc.registry} (key: the WPC hash). */
public final class WpcRecords {

    private WpcRecords() {
    }

    /**
     * The record that publishes {@code wpc} under its hash.
     *
     * @throws IllegalArgumentException when the signature is over another document
     */
    public static WpcRecord toRecord(WpcParseResult.Valid wpc, WpcSignature signature, Instant publishedAt) {
        if (!signature.wpcHash().equals(wpc.document().hash())) {
            throw new IllegalArgumentException("the signature is for " + signature.wpcHash() + ", the document hashes to "
                    + wpc.document().hash());
        }
        return WpcRecord.newBuilder()
                .setWpcHash(wpc.document().hash().toString())
                .setName(wpc.wpc().name())
                .setVersion(wpc.wpc().version().orElse(""))
                .setDocument(wpc.document().canonicalText())
                .setPublisherKeyId(signature.publisherKeyId().toString())
                .setSignature(ByteBuffer.wrap(signature.signature()))
                .setPublishedAt(publishedAt)
                .build();
    }
}
