package dev.clawstream.bundler.merkle;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Verifying RFC 9162 inclusion and consistency proofs, exactly as sections 2.1.3.2 and 2.1.4.2 state
 * the algorithms. Pure: bytes in, a root out or an exception. Computing a root from a proof is kept
 * apart from comparing it with a trusted root (as transparency-dev/merkle does), so a caller can never
 * mistake "the proof is well-formed" for "the proof leads to the root I trust".
 */
public final class MerkleProofs {

    /** A proof is at most one hash per tree level; a longer one is refused before any hashing. */
    public static final int MAX_PROOF_HASHES = 64;
    /** A consistency proof holds at most two paths' worth of hashes. */
    public static final int MAX_CONSISTENCY_HASHES = 2 * MAX_PROOF_HASHES;

    private MerkleProofs() {
    }

    /**
     * The root an inclusion proof leads to from leaf {@code index} of a tree of {@code size} leaves.
     *
     * @throws VerificationException (INCLUSION_PROOF) when the proof cannot be one for this index and
     *                               size: index out of range, too short or too long, a hash not 32 bytes
     */
    public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws VerificationException {
        if (index < 0 || index >= size) {
            throw VerificationException.mismatch(Check.INCLUSION_PROOF, "leaf index", "< tree size " + size, index);
        }
        requireHashes(Check.INCLUSION_PROOF, leafHash, proof, MAX_PROOF_HASHES);
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw VerificationException.mismatch(Check.INCLUSION_PROOF, "proof length", "fewer hashes",
                        proof.size());
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = TreeHasher.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                r = TreeHasher.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw VerificationException.mismatch(Check.INCLUSION_PROOF, "proof length", "more hashes", proof.size());
        }
        return r;
    }

    /** Returns normally only when the proof leads from the leaf to {@code root}. */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws VerificationException {
        byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
        requireRoot(Check.INCLUSION_PROOF, "root from inclusion proof of leaf " + index, root, computed);
    }

    /**
     * The root of the tree of {@code size2} leaves that a consistency proof leads to from the tree of
     * {@code size1} leaves with root {@code root1}; the proof's own reconstruction of {@code root1} is
     * checked on the way (RFC 9162 step 7 checks both).
     *
     * @throws VerificationException (CONSISTENCY_PROOF) when the sizes are out of order, the proof is
     *                               malformed, or it does not reproduce {@code root1}
     */
    public static byte[] rootFromConsistencyProof(long size1, long size2, byte[] root1, List<byte[]> proof)
            throws VerificationException {
        if (size1 < 1 || size2 < size1) {
            throw VerificationException.mismatch(Check.CONSISTENCY_PROOF, "tree sizes", "0 < size1 <= size2",
                    size1 + " -> " + size2);
        }
        requireHashes(Check.CONSISTENCY_PROOF, root1, proof, MAX_CONSISTENCY_HASHES);
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw VerificationException.mismatch(Check.CONSISTENCY_PROOF, "proof between equal sizes",
                        "no hashes", proof.size() + " hashes");
            }
            return root1.clone();
        }
        if (proof.isEmpty()) {
            throw VerificationException.of(Check.CONSISTENCY_PROOF, "empty proof between different sizes "
                    + size1 + " and " + size2);
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(size1) == 1) {
            path.add(root1);
        }
        path.addAll(proof);
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                throw VerificationException.mismatch(Check.CONSISTENCY_PROOF, "proof length", "fewer hashes",
                        proof.size());
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = TreeHasher.node(c, fr);
                sr = TreeHasher.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                sr = TreeHasher.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw VerificationException.mismatch(Check.CONSISTENCY_PROOF, "proof length", "more hashes",
                    proof.size());
        }
        requireRoot(Check.CONSISTENCY_PROOF, "older root reconstructed from consistency proof " + size1 + " -> "
                + size2, root1, fr);
        return sr;
    }

    /** Returns normally only when the proof shows the tree of {@code size2} extends that of {@code size1}. */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws VerificationException {
        byte[] computed = rootFromConsistencyProof(size1, size2, root1, proof);
        requireRoot(Check.CONSISTENCY_PROOF, "newer root from consistency proof " + size1 + " -> " + size2,
                root2, computed);
    }

    /** Compares a computed root with the trusted one; the exception carries both in hex. */
    public static void requireRoot(Check check, String what, byte[] expected, byte[] computed)
            throws VerificationException {
        if (!Arrays.equals(expected, computed)) {
            throw VerificationException.mismatch(check, what, hex(expected), hex(computed));
        }
    }

    private static void requireHashes(Check check, byte[] seed, List<byte[]> proof, int max)
            throws VerificationException {
        if (seed == null || seed.length != TreeHasher.HASH_LENGTH) {
            throw VerificationException.mismatch(check, "hash length", TreeHasher.HASH_LENGTH,
                    seed == null ? "none" : seed.length);
        }
        if (proof.size() > max) {
            throw VerificationException.mismatch(check, "proof length", "at most " + max, proof.size());
        }
        for (int i = 0; i < proof.size(); i++) {
            if (proof.get(i) == null || proof.get(i).length != TreeHasher.HASH_LENGTH) {
                throw VerificationException.mismatch(check, "length of proof hash " + i, TreeHasher.HASH_LENGTH,
                        proof.get(i) == null ? "none" : proof.get(i).length);
            }
        }
    }

    static String hex(byte[] bytes) {
        return bytes == null ? "none" : HexFormat.of().formatHex(bytes);
    }
}
