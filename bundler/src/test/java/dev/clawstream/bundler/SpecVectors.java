package dev.clawstream.bundler;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.chain.Commitment;
import dev.clawstream.bundler.chain.Opening;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.bundler.note.Checkpoint;
import dev.clawstream.bundler.note.NoteVerifier;
import dev.clawstream.bundler.note.SignedNote;
import dev.clawstream.enforcer.canonical.Jcs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worked example of docs/proof-bundle.md, computed from the code: the blocks the document quotes
 * (in order) and the files under docs/proof-bundle/. {@code ProofBundleSpecTest} holds the document and
 * the files to them; run it with {@code -Dclawstream.writeVectors=true} to write them anew.
 */
final class SpecVectors {

    static final HexFormat HEX = HexFormat.of();

    final BundleSealer.Sealed sealed = JobFixture.exampleBundle();
    final BundleDocument full = sealed.full();
    /** Label → block text, in the order the document quotes them. */
    final Map<String, String> blocks = new LinkedHashMap<>();
    /** File name under docs/proof-bundle/ → content. */
    final Map<String, String> files = new LinkedHashMap<>();

    SpecVectors() throws Exception {
        String origin = full.origin();
        NoteVerifier noteKey = new NoteVerifier(origin, JobFixture.BUNDLER.verifier());
        blocks.put("bundler key", String.join("\n",
                "secret key (RFC 8032 7.1 TEST 3) c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
                "public key                       fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                "bundler_key_id                   " + JobFixture.BUNDLER.keyId(),
                "note key name                    " + origin,
                "note key ID                      " + noteKey.keyIdHex()));

        byte[] genesis = ChainHash.genesis("job-1");
        blocks.put("genesis", "SHA-256(\"clawstream-bundle/v1 genesis\" || 0x0A || \"job-1\")\n= " + HEX.formatHex(genesis));

        List<String> canonical = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        List<byte[]> leafHashes = new ArrayList<>();
        ArrayNode entryVectors = BundleJson.MAPPER.createArrayNode();
        byte[] previous = genesis;
        for (DocumentEntry e : full.entries()) {
            byte[] bytes = e.entry().canonicalBytes();
            byte[] leaf = ChainHash.leaf(previous, bytes);
            byte[] hash = TreeHasher.sha256(leaf);
            byte[] leafHash = TreeHasher.leaf(leaf);
            canonical.add(new String(bytes, StandardCharsets.UTF_8));
            hashes.add(String.format("%d  entry hash %s%n   leaf hash  %s", e.index(), HEX.formatHex(hash),
                    HEX.formatHex(leafHash)));
            ObjectNode v = entryVectors.addObject();
            v.put("canonical", new String(bytes, StandardCharsets.UTF_8));
            v.put("previous", HEX.formatHex(previous));
            v.put("hash", HEX.formatHex(hash));
            v.put("leaf_hash", HEX.formatHex(leafHash));
            leafHashes.add(leafHash);
            previous = hash;
        }
        for (int i = 0; i < canonical.size(); i++) {
            blocks.put("entry " + i, canonical.get(i));
        }
        blocks.put("entry hashes", String.join("\n", hashes));

        byte[] n01 = TreeHasher.node(leafHashes.get(0), leafHashes.get(1));
        byte[] n23 = TreeHasher.node(leafHashes.get(2), leafHashes.get(3));
        byte[] n03 = TreeHasher.node(n01, n23);
        byte[] n45 = TreeHasher.node(leafHashes.get(4), leafHashes.get(5));
        byte[] root6 = TreeHasher.node(n03, n45);
        byte[] root3 = TreeHasher.node(n01, leafHashes.get(2));
        blocks.put("merkle", String.join("\n",
                "MTH[0,2) = SHA-256(0x01 || leaf 0 || leaf 1)      = " + HEX.formatHex(n01),
                "MTH[2,4) = SHA-256(0x01 || leaf 2 || leaf 3)      = " + HEX.formatHex(n23),
                "MTH[0,4) = SHA-256(0x01 || MTH[0,2) || MTH[2,4))  = " + HEX.formatHex(n03),
                "MTH[4,6) = SHA-256(0x01 || leaf 4 || leaf 5)      = " + HEX.formatHex(n45),
                "root(6)  = SHA-256(0x01 || MTH[0,4) || MTH[4,6))  = " + HEX.formatHex(root6),
                "root(3)  = SHA-256(0x01 || MTH[0,2) || leaf 2)    = " + HEX.formatHex(root3)));
        if (!HEX.formatHex(root6).equals(full.merkleRoot().hex())) {
            throw new IllegalStateException("the hand-built root is not the sealed root");
        }

        DocumentEntry first = full.entries().get(1);
        Map.Entry<String, Opening> url = first.entry().openings().entrySet().stream()
                .filter(o -> o.getKey().endsWith("/url")).findFirst().orElseThrow();
        byte[] value = Jcs.canonicalize("[" + url.getValue().value() + "]");
        value = java.util.Arrays.copyOfRange(value, 1, value.length - 1);
        byte[] salt = url.getValue().salt();
        byte[] preimage = ByteBuffer.allocate(25 + 4 + salt.length + 4 + value.length)
                .put(Commitment.LABEL.getBytes(StandardCharsets.US_ASCII)).put((byte) 0)
                .putInt(salt.length).put(salt).putInt(value.length).put(value).array();
        blocks.put("commitment", String.join("\n",
                "pointer    " + url.getKey(),
                "salt       " + HEX.formatHex(salt),
                "value      " + new String(value, StandardCharsets.UTF_8),
                "preimage   " + HEX.formatHex(preimage),
                "commitment sha256:" + HEX.formatHex(TreeHasher.sha256(preimage))));
        if (!("sha256:" + HEX.formatHex(TreeHasher.sha256(preimage))).equals(url.getValue().commitment().toString())) {
            throw new IllegalStateException("the hand-built commitment is not the code's");
        }

        BundleDocument.CheckpointProof interim = full.checkpoints().get(0);
        blocks.put("checkpoint", interim.checkpoint().stripTrailing());
        blocks.put("consistency", String.join("\n", interim.consistency().stream().map(h -> h.hex()).toList()));
        blocks.put("seal", full.seal().stripTrailing());
        SignedNote seal = SignedNote.parse(full.seal());
        blocks.put("seal signature", HEX.formatHex(seal.signatures().get(0).signature()));
        String proof = EntryProof.prove(full, 2).format();
        blocks.put("inclusion proof", proof.stripTrailing());

        ObjectNode vectors = BundleJson.object();
        vectors.put("bundler_public_key", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025");
        vectors.put("job_id", "job-1");
        vectors.put("genesis", HEX.formatHex(genesis));
        vectors.set("entries", entryVectors);
        vectors.put("root", HEX.formatHex(root6));
        vectors.put("checkpoint_size", Checkpoint.parse(SignedNote.parse(interim.checkpoint()).text()).size());
        vectors.put("checkpoint_root", HEX.formatHex(root3));
        ArrayNode commitments = vectors.putArray("commitments");
        for (DocumentEntry e : full.entries()) {
            for (Map.Entry<String, Opening> o : e.entry().openings().entrySet()) {
                ObjectNode c = commitments.addObject();
                c.put("index", e.index());
                c.put("pointer", o.getKey());
                c.put("salt", HEX.formatHex(o.getValue().salt()));
                c.set("value", o.getValue().value());
                c.put("commitment", o.getValue().commitment().toString());
            }
        }
        ObjectNode token = vectors.putObject("token");
        token.put("entry", 1);
        token.put("issuer_public_key", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        token.put("signed_bytes", new String(JobFixture.TOKEN.signedBytes(), StandardCharsets.UTF_8));
        token.put("signature", HEX.formatHex(JobFixture.TOKEN.signature()));
        blocks.put("token signed bytes", new String(JobFixture.TOKEN.signedBytes(), StandardCharsets.UTF_8));
                files.put("example-bundle.json", pretty(full.toJson()));
        files.put("example-bundle.redacted.json", pretty(sealed.redacted().toJson()));
        files.put("example-entry-2.tlog-proof", proof);
        files.put("bundler.pub.pem", JobFixture.BUNDLER.verifier().publicKeyPem());
        files.put("gateway.pub.pem", JobFixture.GATEWAY.verifier().publicKeyPem());
        files.put("issuer.pub.pem", JobFixture.ISSUER.verifier().publicKeyPem());
        files.put("example-wpc.json", JobFixture.WPC);
        files.put("vectors.json", pretty(vectors.toString()));
    }

    static String pretty(String json) throws Exception {
        JsonNode node = BundleJson.MAPPER.readTree(json);
        DefaultIndenter lf = new DefaultIndenter("  ", "\n");
        return BundleJson.MAPPER.writer(new DefaultPrettyPrinter().withObjectIndenter(lf).withArrayIndenter(lf))
                .writeValueAsString(node) + "\n";
    }
}
