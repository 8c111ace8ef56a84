package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.chain.ChainHash;
import dev.clawstream.bundler.merkle.TreeHasher;
import dev.clawstream.bundler.note.Base64Strict;
import dev.clawstream.enforcer.canonical.Jcs;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The labelled tamper family of a bundle document: every way the issue and the reviewers named of
 * changing a sealed bundle, each with the check the Java verifier must name. Shared by the Java tamper
 * test and the JavaScript verifier's test, so both verifiers face the same corruptions.
 */
final class Tampering {

    /**
     * @param index the entry the failure must name, or {@link #NO_ENTRY} for a failure of the document as
     *              a whole (seal, tree, checkpoints)
     */
    record Case(String document, Check expected, long index) {
    }

    static final long NO_ENTRY = -1;

    private Tampering() {
    }

    /**
     * @param full        a full (unredacted) document with at least one interim checkpoint and one
     *                    opened commitment in entry 1
     * @param otherKeySeal the same bundle sealed by another key
     * @param otherBundle  a different bundle of the same job, sealed by the same key
     */
    static Map<String, Case> family(String full, String otherKeySeal, String otherBundle) throws Exception {
        Map<String, Case> cases = new LinkedHashMap<>();
        ObjectNode other = parse(otherBundle);
        put(cases, "decision verdict flipped in an entry", full, Check.CHAIN_LINK, 1,
                d -> entry(d, 1).with("decision").put("verdict", "DENY"));
        int entryCount = entries(parse(full)).size();
        for (int i = 0; i < entryCount; i++) {
            int at = i;
            put(cases, "a byte flipped in entry " + i, full, Check.CHAIN_LINK, i, d -> flipAByte(entry(d, at)));
        }
        put(cases, "WPC hash in a decision swapped", full, Check.CHAIN_LINK, 1,
                d -> entry(d, 1).with("decision").put("wpc_hash", "sha256:" + "ab".repeat(32)));
        put(cases, "a byte of the header changed", full, Check.CHAIN_LINK, 0,
                d -> entry(d, 0).put("agent_id", "agent-2"));
        put(cases, "WPC hash in the header swapped", full, Check.CHAIN_LINK, 0,
                d -> entry(d, 0).put("wpc_hash", "sha256:" + "ab".repeat(32)));
        put(cases, "WPC hash swapped and every chain hash recomputed", full, Check.MERKLE_ROOT, NO_ENTRY, d -> {
            entry(d, 0).put("wpc_hash", "sha256:" + "ab".repeat(32));
            rehash(d);
        });
        put(cases, "an entry dropped", full, Check.ENTRY_INDEX, 2, d -> entries(d).remove(2));
        put(cases, "an entry dropped and the rest renumbered and rehashed", full, Check.TREE_SIZE, NO_ENTRY, d -> {
            entries(d).remove(2);
            for (int i = 0; i < entries(d).size(); i++) {
                ((ObjectNode) entries(d).get(i)).put("index", i);
            }
            rehash(d);
            d.put("entry_count", d.path("entry_count").asLong() - 1);
        });
        put(cases, "two entries reordered", full, Check.ENTRY_INDEX, 1, d -> {
            JsonNode a = entries(d).get(1);
            entries(d).set(1, entries(d).get(2));
            entries(d).set(2, a);
        });
        put(cases, "two entries' contents swapped, indexes kept", full, Check.CHAIN_LINK, 1, d -> {
            JsonNode a = entries(d).get(1).get("entry");
            ((ObjectNode) entries(d).get(1)).set("entry", entries(d).get(2).get("entry"));
            ((ObjectNode) entries(d).get(2)).set("entry", a);
        });
        put(cases, "an entry's stated hash changed", full, Check.CHAIN_LINK, 3,
                d -> ((ObjectNode) entries(d).get(3)).put("hash", "sha256:" + "00".repeat(32)));
        put(cases, "seal signature bit flipped", full, Check.SEAL_SIGNATURE, NO_ENTRY, d -> d.put("seal", flipSignature(d.path("seal").asText())));
        put(cases, "seal replaced by another bundle's seal", full, Check.MERKLE_ROOT, NO_ENTRY,
                d -> d.put("seal", other.path("seal").asText()));
        cases.put("re-sealed with another key", new Case(otherKeySeal, Check.SEAL_SIGNATURE, NO_ENTRY));
        put(cases, "entry_count changed", full, Check.TREE_SIZE, NO_ENTRY, d -> d.put("entry_count", d.path("entry_count").asLong() + 1));
        put(cases, "merkle_root changed", full, Check.MERKLE_ROOT, NO_ENTRY, d -> d.put("merkle_root", "sha256:" + "cd".repeat(32)));
        put(cases, "chain_head changed", full, Check.CHAIN_HEAD, NO_ENTRY, d -> d.put("chain_head", entries(d).get(2).path("hash").asText()));
        put(cases, "opened URL changed", full, Check.COMMITMENT, 1,
                d -> opening(d, 1).put("value", "https://api.openai.com/v1/other"));
        put(cases, "opening salt changed", full, Check.COMMITMENT, 1,
                d -> opening(d, 1).put("salt", Base64Strict.encode(new byte[32])));
        put(cases, "an opening removed", full, Check.COMMITMENT, 1,
                d -> ((ObjectNode) entries(d).get(1).get("openings")).remove(firstOpening(d, 1)));
        put(cases, "a commitment in an entry replaced", full, Check.CHAIN_LINK, 1,
                d -> setAt(entry(d, 1), firstOpening(d, 1), "sha256:" + "ef".repeat(32)));
        put(cases, "checkpoint consistency proof hash flipped", full, Check.CONSISTENCY_PROOF, NO_ENTRY, d -> {
            ArrayNode proof = (ArrayNode) d.get("checkpoints").get(0).get("consistency");
            proof.set(0, TextNode.valueOf("sha256:" + "11".repeat(32)));
        });
        put(cases, "checkpoint signature bit flipped", full, Check.CHECKPOINT, NO_ENTRY, d -> {
            ObjectNode cp = (ObjectNode) d.get("checkpoints").get(0);
            cp.put("checkpoint", flipSignature(cp.path("checkpoint").asText()));
        });
        put(cases, "origin of another job", full, Check.ORIGIN, NO_ENTRY, d -> d.put("origin", "clawstream/bundles/job-2"));
        put(cases, "job_id of another job", full, Check.ORIGIN, NO_ENTRY, d -> d.put("job_id", "job-2"));
        put(cases, "final_segment flipped", full, Check.ENTRY_CONTENT, 5, d -> d.put("final_segment", false));
        put(cases, "segment_index changed", full, Check.ENTRY_CONTENT, 5, d -> d.put("segment_index", 1));
        put(cases, "previous_head changed", full, Check.CHAIN_LINK, 0, d -> d.put("previous_head", "sha256:" + "22".repeat(32)));
        put(cases, "unknown field added", full, Check.FORMAT, NO_ENTRY, d -> d.put("trusted", true));
        put(cases, "marked redacted while carrying openings", full, Check.COMMITMENT, 1, d -> d.put("redacted", true));
        return cases;
    }

    private static void put(Map<String, Case> cases, String label, String full, Check expected, long index,
                            Consumer<ObjectNode> change) throws Exception {
        ObjectNode d = parse(full);
        change.accept(d);
        String changed = d.toString();
        if (changed.equals(parse(full).toString())) {
            throw new IllegalStateException("tamper case '" + label + "' changes nothing");
        }
        cases.put(label, new Case(changed, expected, index));
    }

    static ObjectNode parse(String json) throws VerificationException {
        return BundleJson.parseObject(json, "test document");
    }

    static ArrayNode entries(ObjectNode d) {
        return (ArrayNode) d.get("entries");
    }

    static ObjectNode entry(ObjectNode d, int i) {
        return (ObjectNode) entries(d).get(i).get("entry");
    }

    private static ObjectNode opening(ObjectNode d, int i) {
        return (ObjectNode) entries(d).get(i).get("openings").get(firstOpening(d, i));
    }

    private static String firstOpening(ObjectNode d, int i) {
        return entries(d).get(i).get("openings").fieldNames().next();
    }

    private static void setAt(ObjectNode root, String pointer, String value) {
        String[] parts = pointer.substring(1).split("/");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.put(parts[parts.length - 1], value);
    }

    /** What an attacker without the key can do: recompute every chain hash and the head. */
    static void rehash(ObjectNode d) {
        byte[] previous = HexFormat.of().parseHex(d.path("previous_head").asText().substring(7));
        for (JsonNode e : entries(d)) {
            previous = TreeHasher.sha256(ChainHash.leaf(previous, Jcs.canonicalize(e.get("entry").toString())));
            ((ObjectNode) e).put("hash", "sha256:" + HexFormat.of().formatHex(previous));
        }
        d.put("chain_head", "sha256:" + HexFormat.of().formatHex(previous));
    }

    /** One bit of the last character of the entry's first string value other than its kind: one byte changed. */
    private static void flipAByte(ObjectNode entry) {
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isTextual() && !f.getKey().equals("kind")) {
                String v = f.getValue().textValue();
                entry.put(f.getKey(), v.substring(0, v.length() - 1) + (char) (v.charAt(v.length() - 1) ^ 1));
                return;
            }
            if (f.getValue() instanceof ObjectNode inner && !f.getKey().equals("committed")) {
                flipAByte(inner);
                return;
            }
        }
        throw new IllegalStateException("no string to flip in " + entry);
    }

    static String flipSignature(String note) {
        int at = note.lastIndexOf(' ') + 1;
        byte[] blob = java.util.Base64.getDecoder().decode(note.substring(at, note.length() - 1));
        blob[blob.length - 5] ^= 1;
        return note.substring(0, at) + java.util.Base64.getEncoder().encodeToString(blob) + "\n";
    }
}
