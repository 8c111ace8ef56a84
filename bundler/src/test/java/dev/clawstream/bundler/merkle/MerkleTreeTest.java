package dev.clawstream.bundler.merkle;

import dev.clawstream.bundler.VerificationException;
import dev.clawstream.bundler.VerificationException.Check;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden vectors: the eight leaves and roots of the Certificate Transparency reference tests for
 * RFC 6962 hashing, as published in transparency-dev/merkle proof/verify_test.go (the same vectors
 * RFC 9162 implementations share). Our tree and verifier must reproduce them byte for byte.
 */
class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");

    static final List<String> ROOTS = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static List<byte[]> leafHashes() {
        return LEAVES.stream().map(l -> TreeHasher.leaf(HEX.parseHex(l))).toList();
    }

    @Test
    void emptyTreeRootIsSha256OfNothing() {
        assertThat(HEX.formatHex(MerkleTree.of(List.of()).root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(HEX.formatHex(Frontier.empty().root()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void rootsOfEveryPrefixAreTheReferenceRoots() {
        MerkleTree tree = MerkleTree.of(leafHashes());
        Frontier frontier = Frontier.empty();
        for (int n = 1; n <= LEAVES.size(); n++) {
            frontier = frontier.append(leafHashes().get(n - 1));
            assertThat(HEX.formatHex(tree.rootAt(n))).as("root of %d leaves", n).isEqualTo(ROOTS.get(n - 1));
            assertThat(HEX.formatHex(frontier.root())).as("frontier root of %d leaves", n).isEqualTo(ROOTS.get(n - 1));
        }
    }

    @Test
    void inclusionProofsAreTheReferenceProofs() {
        MerkleTree tree = MerkleTree.of(leafHashes());
        assertThat(hex(tree.inclusionProof(0, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.inclusionProof(5, 8))).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.inclusionProof(2, 3))).containsExactly(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        assertThat(hex(tree.inclusionProof(1, 5))).containsExactly(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    }

    @Test
    void consistencyProofsAreTheReferenceProofs() {
        MerkleTree tree = MerkleTree.of(leafHashes());
        assertThat(tree.consistencyProof(1, 1)).isEmpty();
        assertThat(hex(tree.consistencyProof(1, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hex(tree.consistencyProof(6, 8))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hex(tree.consistencyProof(2, 5))).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(hex(tree.consistencyProof(6, 7))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    @Test
    void aTreeAfterAFrontierGivesTheWholeTreesRootsAndProofs() {
        List<byte[]> all = leafHashes();
        MerkleTree whole = MerkleTree.of(all);
        for (int base = 0; base <= all.size(); base++) {
            Frontier frontier = Frontier.empty();
            for (int i = 0; i < base; i++) {
                frontier = frontier.append(all.get(i));
            }
            MerkleTree partial = MerkleTree.after(frontier, all.subList(base, all.size()));
            assertThat(partial.root()).isEqualTo(whole.root());
            for (int i = base; i < all.size(); i++) {
                assertThat(hex(partial.inclusionProof(i, all.size()))).isEqualTo(hex(whole.inclusionProof(i, all.size())));
            }
            for (int m = Math.max(1, base); m <= all.size(); m++) {
                assertThat(hex(partial.consistencyProof(m, all.size())))
                        .isEqualTo(hex(whole.consistencyProof(m, all.size())));
            }
        }
    }

    @Test
    void leavesSummarisedByTheFrontierHaveNoProofHere() {
        List<byte[]> all = leafHashes();
        Frontier frontier = Frontier.empty().append(all.get(0)).append(all.get(1)).append(all.get(2));
        MerkleTree partial = MerkleTree.after(frontier, all.subList(3, all.size()));

        assertThatThrownBy(() -> partial.inclusionProof(1, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> partial.consistencyProof(2, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFrontierHasOneHashPerSetBitOfItsSize() {
        assertThatThrownBy(() -> Frontier.of(6, List.of(new byte[32])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 hashes");
        assertThatThrownBy(() -> Frontier.of(1, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void verifyingAReferenceProofWithTheWrongRootNamesBothRoots() {
        MerkleTree tree = MerkleTree.of(leafHashes());
        byte[] wrongRoot = HEX.parseHex(ROOTS.get(6));

        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(5, 8, leafHashes().get(5), tree.inclusionProof(5, 8), wrongRoot))
                .isInstanceOfSatisfying(VerificationException.class, e -> {
                    assertThat(e.check()).isEqualTo(Check.INCLUSION_PROOF);
                    assertThat(e.expected()).isEqualTo(ROOTS.get(6));
                    assertThat(e.actual()).isEqualTo(ROOTS.get(7));
                });
    }

    static List<String> hex(List<byte[]> hashes) {
        List<String> out = new ArrayList<>();
        hashes.forEach(h -> out.add(HEX.formatHex(h)));
        return out;
    }
}
