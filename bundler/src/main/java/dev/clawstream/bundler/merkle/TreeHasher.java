package dev.clawstream.bundler.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 section 2.1.1 hashing with SHA-256: a leaf is hashed after a 0x00 byte, an interior node
 * after a 0x01 byte. The prefixes are the point: without them an interior node (64 bytes of child
 * hashes) could be presented as a leaf, and a proof forged for data that was never logged.
 */
public final class TreeHasher {

    /** Every hash in the tree is a SHA-256 digest. */
    public static final int HASH_LENGTH = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    });

    private TreeHasher() {
    }

    /** The root of the empty tree: SHA-256 of no bytes. */
    public static byte[] emptyRoot() {
        return digest().digest();
    }

    /** SHA-256(0x00 || data). */
    public static byte[] leaf(byte[] data) {
        MessageDigest d = digest();
        d.update(LEAF_PREFIX);
        d.update(data);
        return d.digest();
    }

    /** SHA-256(0x01 || left || right). */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest d = digest();
        d.update(NODE_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** Plain SHA-256 of the concatenation of {@code parts} (the chain, commitments). */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest d = digest();
        for (byte[] part : parts) {
            d.update(part);
        }
        return d.digest();
    }

    private static MessageDigest digest() {
        MessageDigest d = SHA256.get();
        d.reset();
        return d;
    }
}
