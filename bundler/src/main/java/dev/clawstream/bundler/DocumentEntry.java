package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.bundler.chain.BundleJson;
import dev.clawstream.bundler.chain.Commitment;
import dev.clawstream.bundler.chain.Entry;
import dev.clawstream.bundler.chain.Opening;
import dev.clawstream.bundler.note.Base64Strict;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An entry as it stands in a bundle document, and as the topology accumulates it until the segment is
 * sealed: its index in the job's tree, its chain hash, the entry, and (in the full bundle) the
 * openings of its commitments.
 * <pre>
 * {"index": 3, "hash": "sha256:…", "entry": {…}, "openings": {"/decision/input/url": {"salt": "…", "value": …}}}
 * </pre>
 */
public record DocumentEntry(long index, Sha256Hash hash, Entry entry) {

    /** No entry carries more redacted values than this; a document that says otherwise is not ours. */
    public static final int MAX_OPENINGS = 256;
    private static final Set<String> FIELDS = Set.of("index", "hash", "entry", "openings");
    private static final Set<String> OPENING_FIELDS = Set.of("salt", "value");

    public DocumentEntry {
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " < 0");
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(entry, "entry");
    }

    /** The same entry without openings. */
    public DocumentEntry redacted() {
        return new DocumentEntry(index, hash, entry.redacted());
    }

    public ObjectNode toJson() {
        ObjectNode node = BundleJson.object();
        node.put("index", index);
        node.put("hash", hash.toString());
        node.set("entry", entry.body());
        if (!entry.openings().isEmpty()) {
            ObjectNode openings = node.putObject("openings");
            entry.openings().forEach((pointer, opening) -> {
                ObjectNode o = openings.putObject(pointer);
                o.put("salt", Base64Strict.encode(opening.salt()));
                o.set("value", opening.value());
            });
        }
        return node;
    }

    /** Serialised for the topology's per-segment store. */
    public String toJsonText() {
        return toJson().toString();
    }

    public static DocumentEntry parse(String json) throws VerificationException {
        return fromJson(BundleJson.parseObject(json, "document entry"), -1);
    }

    /** @param position where in the document (for messages), or -1 */
    static DocumentEntry fromJson(JsonNode node, int position) throws VerificationException {
        String where = position >= 0 ? "entries[" + position + "]" : "entry";
        Fields.requireOnly(node, FIELDS, where);
        long index = Fields.nonNegativeLong(node, "index", where);
        Sha256Hash hash = Fields.hash(node, "hash", where);
        JsonNode body = node.get("entry");
        if (!(body instanceof ObjectNode object)) {
            throw VerificationException.of(Check.FORMAT, where + ".entry is not a JSON object");
        }
        Map<String, Opening> openings = new LinkedHashMap<>();
        JsonNode given = node.get("openings");
        if (given != null) {
            if (!given.isObject() || given.size() > MAX_OPENINGS) {
                throw VerificationException.of(Check.FORMAT, where + ".openings is not an object of at most "
                        + MAX_OPENINGS + " openings");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> o = it.next();
                String at = where + ".openings[" + o.getKey() + "]";
                Fields.requireOnly(o.getValue(), OPENING_FIELDS, at);
                byte[] salt = Base64Strict.decode(o.getValue().path("salt").asText(""))
                        .filter(s -> s.length == Commitment.SALT_LENGTH).orElseThrow(() ->
                                VerificationException.of(Check.FORMAT, at + ".salt is not the base64 of "
                                        + Commitment.SALT_LENGTH + " bytes"));
                if (!o.getValue().has("value")) {
                    throw VerificationException.of(Check.FORMAT, at + " has no value");
                }
                openings.put(o.getKey(), new Opening(salt, o.getValue().get("value")));
            }
        }
        return new DocumentEntry(index, hash, Entry.read(object, openings));
    }
}
