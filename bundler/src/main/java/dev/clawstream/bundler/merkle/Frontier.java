package dev.clawstream.bundler.merkle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The compact range of the first {@code size} leaves of a tree: the roots of its maximal perfect
 * subtrees, left to right, one per set bit of {@code size} (largest first). At most 64 hashes however
 * many leaves, yet enough to append the next leaf and to compute the RFC 9162 root, so this is what
 * the bundler keeps per job instead of the entries. Immutable.
 */
public final class Frontier {

    private static final Frontier EMPTY = new Frontier(0, List.of());

    private final long size;
    private final List<byte[]> hashes;

    private Frontier(long size, List<byte[]> hashes) {
        this.size = size;
        this.hashes = hashes;
    }

    public static Frontier empty() {
        return EMPTY;
    }

    /**
     * @throws IllegalArgumentException when the number of hashes is not the number of set bits of
     *                                  {@code size}, or a hash is not 32 bytes
     */
    public static Frontier of(long size, List<byte[]> hashes) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " < 0");
        }
        if (hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a frontier of " + size + " leaves has " + Long.bitCount(size)
                    + " hashes, got " + hashes.size());
        }
        List<byte[]> copy = new ArrayList<>(hashes.size());
        for (byte[] h : hashes) {
            if (h.length != TreeHasher.HASH_LENGTH) {
                throw new IllegalArgumentException("a frontier hash is 32 bytes, got " + h.length);
            }
            copy.add(h.clone());
        }
        return new Frontier(size, List.copyOf(copy));
    }

    /** The frontier after one more leaf whose leaf hash is {@code leafHash}. */
    public Frontier append(byte[] leafHash) {
        Objects.requireNonNull(leafHash, "leafHash");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("tree is full");
        }
        List<byte[]> next = new ArrayList<>(hashes.size() + 1);
        next.addAll(hashes);
        byte[] carry = leafHash.clone();
        // Each trailing 1 bit of size is a perfect subtree of the same height as the carry: merge them,
        // as adding 1 in binary carries through trailing ones.
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            carry = TreeHasher.node(next.remove(next.size() - 1), carry);
        }
        next.add(carry);
        return new Frontier(size + 1, List.copyOf(next));
    }

    /**
     * The RFC 9162 root of these leaves: the subtree roots folded from the right, which is what the
     * RFC's recursive split at the largest power of two gives.
     */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return TreeHasher.emptyRoot();
        }
        byte[] root = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            root = TreeHasher.node(hashes.get(i), root);
        }
        return root.clone();
    }

    public long size() {
        return size;
    }

    /** The subtree roots, left to right (copies). */
    public List<byte[]> hashes() {
        return hashes.stream().map(byte[]::clone).toList();
    }

    /** The root of the perfect subtree of leaves {@code [start, start + width)} when it is one of these. */
    byte[] node(long start, long width) {
        long offset = 0;
        for (int i = 0; i < hashes.size(); i++) {
            long w = Long.highestOneBit(size - offset);
            if (offset == start && w == width) {
                return hashes.get(i);
            }
            offset += w;
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Frontier f) || f.size != size) {
            return false;
        }
        for (int i = 0; i < hashes.size(); i++) {
            if (!Arrays.equals(hashes.get(i), f.hashes.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + (hashes.isEmpty() ? 0 : Arrays.hashCode(hashes.get(hashes.size() - 1)));
    }

    @Override
    public String toString() {
        return "Frontier[" + size + " leaves, " + hashes.size() + " subtrees]";
    }
}
