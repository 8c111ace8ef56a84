package dev.clawstream.bundler.chain;

import dev.clawstream.bundler.merkle.TreeHasher;

import java.nio.charset.StandardCharsets;

/**
 * The hash chain of a job's entries (docs/proof-bundle.md, "The chain"). Entry i's <em>leaf</em> is
 * {@code previous hash (32 bytes) || canonical bytes of entry i}; its hash is SHA-256 of the leaf; the
 * Merkle tree is built over the same leaves. Because every leaf starts with the hash before it, the
 * signed Merkle root commits to every chain link, including the first one of a later segment.
 */
public final class ChainHash {

    /** Names the format inside the genesis hash, so no other chain's start can be taken for ours. */
    public static final String GENESIS_LABEL = "clawstream-bundle/v1 genesis";

    private ChainHash() {
    }

    /**
     * The "previous hash" of a job's first entry:
     * {@code SHA-256(UTF-8("clawstream-bundle/v1 genesis") || 0x0A || UTF-8(job id))}. Binding the job id
     * means a chain can never be replayed as another job's, even before its header is read.
     */
    public static byte[] genesis(String jobId) {
        return TreeHasher.sha256(GENESIS_LABEL.getBytes(StandardCharsets.UTF_8), new byte[]{'\n'},
                jobId.getBytes(StandardCharsets.UTF_8));
    }

    /** The leaf: {@code previous || canonical}. */
    public static byte[] leaf(byte[] previous, byte[] canonical) {
        if (previous.length != TreeHasher.HASH_LENGTH) {
            throw new IllegalArgumentException("a previous hash is 32 bytes, got " + previous.length);
        }
        byte[] leaf = new byte[previous.length + canonical.length];
        System.arraycopy(previous, 0, leaf, 0, previous.length);
        System.arraycopy(canonical, 0, leaf, previous.length, canonical.length);
        return leaf;
    }

    /** The entry hash: {@code SHA-256(previous || canonical)}. */
    public static byte[] next(byte[] previous, byte[] canonical) {
        return TreeHasher.sha256(previous, canonical);
    }
}
