package dev.clawstream.bundler.merkle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9162 Merkle tree over a range of leaves: the frontier of the first {@code base} leaves (all a
 * later segment of a job knows of the leaves before it) followed by the leaf hashes of the leaves
 * {@code base .. size-1}. That is enough to compute the root of every size from {@code base} on, the
 * inclusion proof of every leaf from {@code base} on, and the consistency proof from any size
 * {@code m >= base}: every subtree such a proof needs either lies among the known leaves, or is one of
 * the frontier's maximal subtrees, or straddles them (docs/proof-bundle.md, "Segments").
 *
 * <p>Proofs are generated exactly as RFC 9162 sections 2.1.3.1 (PATH) and 2.1.4.1 (SUBPROOF) define
 * them, so any RFC 9162 verifier accepts them. Not thread-safe (it memoises subtree hashes).
 */
public final class MerkleTree {

    private final Frontier base;
    private final List<byte[]> leafHashes;
    private final Map<Long, byte[]> perfectSubtrees = new HashMap<>();

    private MerkleTree(Frontier base, List<byte[]> leafHashes) {
        this.base = Objects.requireNonNull(base, "base");
        List<byte[]> copy = new ArrayList<>(leafHashes.size());
        for (byte[] h : leafHashes) {
            if (h.length != TreeHasher.HASH_LENGTH) {
                throw new IllegalArgumentException("a leaf hash is 32 bytes, got " + h.length);
            }
            copy.add(h.clone());
        }
        this.leafHashes = copy;
    }

    /** The whole tree of these leaf hashes. */
    public static MerkleTree of(List<byte[]> leafHashes) {
        return new MerkleTree(Frontier.empty(), leafHashes);
    }

    /** The leaves after {@code base}: leaf {@code base.size()} is {@code leafHashes.get(0)}. */
    public static MerkleTree after(Frontier base, List<byte[]> leafHashes) {
        return new MerkleTree(base, leafHashes);
    }

    /** The number of leaves, counting those summarised by the base frontier. */
    public long size() {
        return base.size() + leafHashes.size();
    }

    /** The first leaf this tree holds itself (the size of its base frontier). */
    public long firstKnownLeaf() {
        return base.size();
    }

    public byte[] root() {
        return rootAt(size());
    }

    /** The root of the tree of the first {@code n} leaves, {@code firstKnownLeaf() <= n <= size()}. */
    public byte[] rootAt(long n) {
        if (n < base.size() || n > size()) {
            throw new IllegalArgumentException("root at size " + n + " outside [" + base.size() + ", " + size() + "]");
        }
        return hash(0, n).clone();
    }

    /** PATH(index, D[0:n]) of RFC 9162 section 2.1.3.1: sibling hashes from the leaf up. */
    public List<byte[]> inclusionProof(long index, long n) {
        if (n > size() || index < base.size() || index >= n) {
            throw new IllegalArgumentException("inclusion proof of leaf " + index + " in a tree of " + n
                    + " leaves; this tree knows leaves [" + base.size() + ", " + size() + ")");
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, n, proof);
        return copies(proof);
    }

    /** PROOF(m, D[0:n]) of RFC 9162 section 2.1.4.1, {@code firstKnownLeaf() <= m <= n <= size()}, m > 0. */
    public List<byte[]> consistencyProof(long m, long n) {
        if (m <= 0 || m < base.size() || m > n || n > size()) {
            throw new IllegalArgumentException("consistency proof from " + m + " to " + n
                    + "; this tree knows leaves [" + base.size() + ", " + size() + ")");
        }
        List<byte[]> proof = new ArrayList<>();
        if (m < n) {
            subproof(m, 0, n, true, proof);
        }
        return copies(proof);
    }

    private void path(long index, long start, long end, List<byte[]> out) {
        if (end - start == 1) {
            return;
        }
        long k = split(end - start);
        if (index < start + k) {
            path(index, start, start + k, out);
            out.add(hash(start + k, end));
        } else {
            path(index, start + k, end, out);
            out.add(hash(start, start + k));
        }
    }

    /** {@code m} counts the old tree's leaves within {@code [start, end)}. */
    private void subproof(long m, long start, long end, boolean complete, List<byte[]> out) {
        if (m == end - start) {
            if (!complete) {
                out.add(hash(start, end));
            }
            return;
        }
        long k = split(end - start);
        if (m <= k) {
            subproof(m, start, start + k, complete, out);
            out.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(hash(start, start + k));
        }
    }

    /** MTH(D[start:end]). */
    private byte[] hash(long start, long end) {
        long width = end - start;
        if (width == 0) {
            return TreeHasher.emptyRoot();
        }
        boolean perfect = Long.bitCount(width) == 1 && start % width == 0;
        if (perfect) {
            byte[] known = end <= base.size() ? base.node(start, width) : perfectSubtrees.get(key(start, width));
            if (known != null) {
                return known;
            }
        }
        if (width == 1) {
            if (start < base.size()) {
                throw new IllegalStateException("leaf " + start + " is summarised by the frontier and not known");
            }
            return leafHashes.get((int) (start - base.size()));
        }
        long k = split(width);
        byte[] h = TreeHasher.node(hash(start, start + k), hash(start + k, end));
        if (perfect) {
            perfectSubtrees.put(key(start, width), h);
        }
        return h;
    }

    private static long key(long start, long width) {
        // (start, log2 width) packed into one long; unique while start < 2^57, far beyond any job.
        return start * 64 + Long.numberOfTrailingZeros(width);
    }

    /** The largest power of two strictly less than {@code n} (n >= 2): RFC 9162's k. */
    private static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static List<byte[]> copies(List<byte[]> hashes) {
        return hashes.stream().map(byte[]::clone).toList();
    }
}
