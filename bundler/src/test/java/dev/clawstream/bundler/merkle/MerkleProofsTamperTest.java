package dev.clawstream.bundler.merkle;

import dev.clawstream.bundler.VerificationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every good proof, corrupted in labelled ways (the families of transparency-dev/merkle's
 * verify_test.go), must be rejected. Failures are collected and asserted together, so one run names
 * every corruption that slipped through.
 */
class MerkleProofsTamperTest {

    private static final byte[] SOME_HASH = HexFormat.of().parseHex(
            "abacaba000000000000000000000000000000000000000000060061e00123456");
    private static final byte[] EMPTY_ROOT = TreeHasher.emptyRoot();

    private record InclusionProbe(String label, long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
    }

    private record ConsistencyProbe(String label, long size1, long size2, byte[] root1, byte[] root2,
                                    List<byte[]> proof) {
    }

    @Test
    void everyCorruptedInclusionProofIsRejected() throws VerificationException {
        List<byte[]> leaves = MerkleProofsPropertyTest.leaves(13, 7);
        MerkleTree tree = MerkleTree.of(leaves);
        List<String> accepted = new ArrayList<>();
        int probes = 0;
        for (long index : new long[]{1, 5, 6, 12}) {
            List<byte[]> proof = tree.inclusionProof(index, 13);
            byte[] leaf = leaves.get((int) index);
            MerkleProofs.verifyInclusion(index, 13, leaf, proof, tree.root());
            for (InclusionProbe p : corrupt(index, 13, leaf, proof, tree.root())) {
                probes++;
                try {
                    MerkleProofs.verifyInclusion(p.index(), p.size(), p.leaf(), p.proof(), p.root());
                    accepted.add("leaf " + index + ": " + p.label());
                } catch (VerificationException expected) {
                    // rejected, as it must be
                }
            }
        }
        assertThat(probes).isGreaterThan(60);
        assertThat(accepted).as("corrupted inclusion proofs that verified").isEmpty();
    }

    @Test
    void everyCorruptedConsistencyProofIsRejected() throws VerificationException {
        MerkleTree tree = MerkleTree.of(MerkleProofsPropertyTest.leaves(13, 11));
        List<String> accepted = new ArrayList<>();
        int probes = 0;
        for (long[] sizes : new long[][]{{1, 13}, {4, 13}, {6, 8}, {7, 13}, {12, 13}}) {
            long m = sizes[0];
            long n = sizes[1];
            List<byte[]> proof = tree.consistencyProof(m, n);
            MerkleProofs.verifyConsistency(m, n, tree.rootAt(m), tree.rootAt(n), proof);
            for (ConsistencyProbe p : corrupt(m, n, tree.rootAt(m), tree.rootAt(n), proof)) {
                probes++;
                try {
                    MerkleProofs.verifyConsistency(p.size1(), p.size2(), p.root1(), p.root2(), p.proof());
                    accepted.add(m + "->" + n + ": " + p.label());
                } catch (VerificationException expected) {
                    // rejected, as it must be
                }
            }
        }
        assertThat(probes).isGreaterThan(80);
        assertThat(accepted).as("corrupted consistency proofs that verified").isEmpty();
    }

    private static List<InclusionProbe> corrupt(long index, long size, byte[] leaf, List<byte[]> proof, byte[] root) {
        Map<String, InclusionProbe> probes = new LinkedHashMap<>();
        add(probes, new InclusionProbe("index - 1", index - 1, size, leaf, proof, root));
        add(probes, new InclusionProbe("index + 1", index + 1, size, leaf, proof, root));
        add(probes, new InclusionProbe("index ^ 2", index ^ 2, size, leaf, proof, root));
        add(probes, new InclusionProbe("size * 2", index, size * 2, leaf, proof, root));
        add(probes, new InclusionProbe("size / 2", index, size / 2, leaf, proof, root));
        add(probes, new InclusionProbe("wrong leaf", index, size, "WrongLeaf".getBytes(), proof, root));
        add(probes, new InclusionProbe("other leaf hash", index, size, SOME_HASH, proof, root));
        add(probes, new InclusionProbe("empty root", index, size, leaf, proof, EMPTY_ROOT));
        add(probes, new InclusionProbe("random root", index, size, leaf, proof, SOME_HASH));
        add(probes, new InclusionProbe("trailing garbage", index, size, leaf, append(proof, new byte[0]), root));
        add(probes, new InclusionProbe("trailing root", index, size, leaf, append(proof, root), root));
        add(probes, new InclusionProbe("preceding garbage", index, size, leaf, prepend(proof, new byte[0]), root));
        add(probes, new InclusionProbe("preceding root", index, size, leaf, prepend(proof, root), root));
        for (int i = 0; i < proof.size(); i++) {
            add(probes, new InclusionProbe("proof[" + i + "] bit 3 flipped", index, size, leaf, flip(proof, i, 8), root));
        }
        if (!proof.isEmpty()) {
            add(probes, new InclusionProbe("last hash removed", index, size, leaf, proof.subList(0, proof.size() - 1), root));
        }
        if (proof.size() > 1) {
            List<byte[]> inserted = new ArrayList<>(proof);
            inserted.add(1, SOME_HASH);
            add(probes, new InclusionProbe("hash inserted", index, size, leaf, inserted, root));
            List<byte[]> swapped = new ArrayList<>(proof);
            swapped.set(0, proof.get(1));
            swapped.set(1, proof.get(0));
            add(probes, new InclusionProbe("first two hashes swapped", index, size, leaf, swapped, root));
        }
        return List.copyOf(probes.values());
    }

    private static List<ConsistencyProbe> corrupt(long m, long n, byte[] root1, byte[] root2, List<byte[]> proof) {
        Map<String, ConsistencyProbe> probes = new LinkedHashMap<>();
        add(probes, new ConsistencyProbe("size1 - 1", m - 1, n, root1, root2, proof));
        add(probes, new ConsistencyProbe("size1 + 1", m + 1, n, root1, root2, proof));
        add(probes, new ConsistencyProbe("size1 ^ 2", m ^ 2, n, root1, root2, proof));
        add(probes, new ConsistencyProbe("size2 * 2", m, n * 2, root1, root2, proof));
        add(probes, new ConsistencyProbe("size2 / 2", m, n / 2, root1, root2, proof));
        add(probes, new ConsistencyProbe("wrong root1", m, n, "WrongRoot".getBytes(), root2, proof));
        add(probes, new ConsistencyProbe("wrong root2", m, n, root1, SOME_HASH, proof));
        add(probes, new ConsistencyProbe("swapped roots", m, n, root2, root1, proof));
        add(probes, new ConsistencyProbe("empty proof", m, n, root1, root2, List.of()));
        add(probes, new ConsistencyProbe("trailing garbage", m, n, root1, root2, append(proof, new byte[0])));
        add(probes, new ConsistencyProbe("trailing root1", m, n, root1, root2, append(proof, root1)));
        add(probes, new ConsistencyProbe("trailing root2", m, n, root1, root2, append(proof, root2)));
        add(probes, new ConsistencyProbe("preceding garbage", m, n, root1, root2, prepend(proof, new byte[0])));
        add(probes, new ConsistencyProbe("preceding root1", m, n, root1, root2, prepend(proof, root1)));
        add(probes, new ConsistencyProbe("preceding root2", m, n, root1, root2, prepend(proof, root2)));
        add(probes, new ConsistencyProbe("preceding proof[0]", m, n, root1, root2, prepend(proof, proof.get(0))));
        add(probes, new ConsistencyProbe("truncated", m, n, root1, root2, proof.subList(0, proof.size() - 1)));
        for (int i = 0; i < proof.size(); i++) {
            add(probes, new ConsistencyProbe("proof[" + i + "] bit 4 flipped", m, n, root1, root2, flip(proof, i, 16)));
        }
        return List.copyOf(probes.values());
    }

    private static void add(Map<String, InclusionProbe> probes, InclusionProbe p) {
        // A mutation that happens to produce the original proof (index ^ 2 == index ...) is no corruption.
        probes.put(p.label(), p);
    }

    private static void add(Map<String, ConsistencyProbe> probes, ConsistencyProbe p) {
        probes.put(p.label(), p);
    }

    private static List<byte[]> append(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(extra);
        return out;
    }

    private static List<byte[]> prepend(List<byte[]> proof, byte[] extra) {
        List<byte[]> out = new ArrayList<>();
        out.add(extra);
        out.addAll(proof);
        return out;
    }

    private static List<byte[]> flip(List<byte[]> proof, int i, int mask) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] h = proof.get(i).clone();
        h[0] ^= (byte) mask;
        out.set(i, h);
        return out;
    }
}
