package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.merkle.Frontier;
import dev.clawstream.bundler.merkle.MerkleProofs;
import dev.clawstream.bundler.merkle.MerkleTree;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.bundler.note.Checkpoint;
import dev.clawstream.bundler.note.NoteVerifier;
import dev.clawstream.bundler.note.SignedNote;
import dev.clawstream.bundler.note.TlogProof;
import dev.clawstream.enforcer.canonical.Jcs;
import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.crypto.Verifier;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One entry proven to belong to a sealed bundle without handing over the rest: a C2SP tlog-proof whose
 * extra data is the entry's leaf (previous hash and canonical bytes), whose index and inclusion path
 * lead to the seal's root, and whose checkpoint is the seal itself (docs/proof-bundle.md,
 * "Inclusion proofs"). What {@code clawstream prove} writes and {@code clawstream verify-proof} checks.
 */
public final class EntryProof {

    private EntryProof() {
    }

    /**
     * The proof of entry {@code index} of a document (an index within its segment's range).
     *
     * @throws VerificationException when the document's entries do not lead to its sealed root: a proof
     *                               of a broken bundle would prove nothing
     */
    public static TlogProof prove(BundleDocument doc, long index) throws VerificationException {
        long first = doc.firstIndex();
        if (index < first || index >= first + doc.entries().size()) {
            throw new IllegalArgumentException("entry " + index + " is not in this segment, which holds entries "
                    + first + " to " + (first + doc.entries().size() - 1));
        }
        List<byte[]> leaves = new ArrayList<>(doc.entries().size());
        byte[] previous = doc.previousHead().bytes();
        for (DocumentEntry e : doc.entries()) {
            byte[] leaf = ChainHash.leaf(previous, BundleVerifier.canonical(e.entry(), e.index()));
            leaves.add(leaf);
            previous = TreeHasher.sha256(leaf);
        }
        Frontier base;
        try {
            base = Frontier.of(first, doc.frontier().stream().map(Sha256Hash::bytes).toList());
        } catch (IllegalArgumentException e) {
            throw VerificationException.of(Check.FORMAT, "frontier: " + e.getMessage());
        }
        MerkleTree tree = MerkleTree.after(base, leaves.stream().map(TreeHasher::leaf).toList());
        MerkleProofs.requireRoot(Check.MERKLE_ROOT, "root of the document's entries against its merkle_root",
                doc.merkleRoot().bytes(), tree.root());
        int position = (int) (index - first);
        return new TlogProof(Optional.of(leaves.get(position)), index, tree.inclusionProof(index, tree.size()),
                doc.seal());
    }

    /**
     * Returns normally only when the proof's checkpoint is signed by the bundler key (under the origin
     * it names), its extra data is a leaf of canonical JSON, and the inclusion path leads from that leaf
     * at that index to the checkpoint's root.
     *
     * @param jobId when present, the checkpoint's origin must name this job
     */
    public static void verify(TlogProof proof, Verifier bundlerKey, Optional<String> jobId)
            throws VerificationException {
        SignedNote note = SignedNote.parse(proof.checkpoint());
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        new NoteVerifier(checkpoint.origin(), bundlerKey).verify(note, Check.SEAL_SIGNATURE);
        if (jobId.isPresent() && !checkpoint.origin().endsWith("/" + Checkpoint.percentEncode(jobId.get()))) {
            throw VerificationException.mismatch(Check.ORIGIN, "origin of the proof's checkpoint",
                    "<prefix>/" + Checkpoint.percentEncode(jobId.get()), checkpoint.origin());
        }
        byte[] leaf = proof.extra().orElseThrow(() ->
                VerificationException.of(Check.FORMAT, "proof carries no entry (no extra line)"));
        entryJson(leaf);
        MerkleProofs.verifyInclusion(proof.index(), checkpoint.size(), TreeHasher.leaf(leaf), proof.path(),
                checkpoint.rootHash());
    }

    /**
     * The entry a proof carries, as JSON. Read it only after {@link #verify}: the tlog-proof format
     * does not authenticate its extra data, the inclusion path does.
     */
    public static ObjectNode entry(TlogProof proof) throws VerificationException {
        return entryJson(proof.extra().orElseThrow(() ->
                VerificationException.of(Check.FORMAT, "proof carries no entry (no extra line)")));
    }

    private static ObjectNode entryJson(byte[] leaf) throws VerificationException {
        if (leaf.length <= TreeHasher.HASH_LENGTH) {
            throw VerificationException.mismatch(Check.FORMAT, "proof leaf length", "more than 32 bytes", leaf.length);
        }
        String json = new String(Arrays.copyOfRange(leaf, TreeHasher.HASH_LENGTH, leaf.length), StandardCharsets.UTF_8);
        ObjectNode entry = BundleJson.parseObject(json, "proof entry");
        if (!Arrays.equals(Jcs.canonicalize(json), json.getBytes(StandardCharsets.UTF_8))) {
            throw VerificationException.of(Check.FORMAT, "proof entry is not in RFC 8785 canonical form");
        }
        return entry;
    }
}
