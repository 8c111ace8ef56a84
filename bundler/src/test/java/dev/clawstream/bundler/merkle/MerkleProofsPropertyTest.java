package dev.clawstream.bundler.merkle;

import dev.clawstream.bundler.VerificationException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every proof the tree generates verifies, for any tree size and any split into frontier and leaves. */
class MerkleProofsPropertyTest {

    static List<byte[]> leaves(int n, long seed) {
        List<byte[]> leaves = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            leaves.add(TreeHasher.leaf(ByteBuffer.allocate(16).putLong(seed).putLong(i).array()));
        }
        return leaves;
    }

    @Property(tries = 60)
    void everyInclusionProofOfEveryLeafVerifies(@ForAll @IntRange(min = 1, max = 300) int size, @ForAll long seed)
            throws VerificationException {
        List<byte[]> leaves = leaves(size, seed);
        MerkleTree tree = MerkleTree.of(leaves);
        byte[] root = tree.root();
        for (int i = 0; i < size; i++) {
            MerkleProofs.verifyInclusion(i, size, leaves.get(i), tree.inclusionProof(i, size), root);
        }
    }

    @Property(tries = 40)
    void everyConsistencyProofBetweenAnyTwoSizesVerifies(@ForAll @IntRange(min = 1, max = 70) int size,
                                                         @ForAll long seed) throws VerificationException {
        MerkleTree tree = MerkleTree.of(leaves(size, seed));
        for (int m = 1; m <= size; m++) {
            for (int n = m; n <= size; n++) {
                MerkleProofs.verifyConsistency(m, n, tree.rootAt(m), tree.rootAt(n), tree.consistencyProof(m, n));
            }
        }
    }

    @Property(tries = 60)
    void aTreeAfterAnyFrontierAgreesWithTheWholeTree(@ForAll @IntRange(min = 1, max = 200) int size,
                                                     @ForAll @IntRange(min = 0, max = 200) int cut, @ForAll long seed) {
        int base = Math.min(cut, size);
        List<byte[]> leaves = leaves(size, seed);
        Frontier frontier = Frontier.empty();
        for (int i = 0; i < base; i++) {
            frontier = frontier.append(leaves.get(i));
        }
        MerkleTree whole = MerkleTree.of(leaves);
        MerkleTree partial = MerkleTree.after(frontier, leaves.subList(base, size));

        assertThat(frontier.root()).isEqualTo(whole.rootAt(base));
        assertThat(partial.root()).isEqualTo(whole.root());
        for (int i = base; i < size; i++) {
            assertThat(MerkleTreeTest.hex(partial.inclusionProof(i, size)))
                    .isEqualTo(MerkleTreeTest.hex(whole.inclusionProof(i, size)));
        }
        for (int m = Math.max(base, 1); m <= size; m++) {
            assertThat(MerkleTreeTest.hex(partial.consistencyProof(m, size)))
                    .isEqualTo(MerkleTreeTest.hex(whole.consistencyProof(m, size)));
        }
    }
}
