package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which values of a decision or receipt are replaced by salted commitments before the entry is
 * hashed: every member, at any depth, whose name is a destination field or a name the job's WPC lists
 * in {@code data_handling.redact}. A null value is left as it is (there is nothing to hide). A
 * committed value is replaced by the string {@code sha256:<hex>} of its {@link Commitment}, and the
 * entry lists the JSON pointers of every commitment, inside the hashed bytes.
 */
public final class Redaction {

    /**
     * Always committed: where the agent connected (URL, host, resolved IP, a redirect's source), and the
     * decision's detail, which quotes the destination in plain words ("api.example.com is denied").
     */
    public static final Set<String> DESTINATION_FIELDS = Set.of("url", "host", "resolved_ip", "redirect_from", "detail");

    /**
     * Also always committed: the {@code scope} of a token a decision carries, the job's intended
     * capabilities as the issuer wrote them, which quote tools, models and hosts — the very values the
     * other commitments and a WPC's redact list hide.
     */
    public static final String TOKEN_SCOPE = "scope";

    /**
     * Never committed, whatever a WPC names: the verifier needs the job id to tell a bundle's records
     * from another job's, and the kind and pointer list to read the entry at all.
     */
    public static final Set<String> NEVER_REDACTED = Set.of("job_id", "kind", "committed");

    private final Set<String> names;
    private final SaltSource salts;

    private Redaction(Set<String> names, SaltSource salts) {
        this.names = Set.copyOf(names);
        this.salts = Objects.requireNonNull(salts, "salts");
    }

    /** Destination fields and a token's scope only: the least every entry gets, whatever its WPC says. */
    public static Redaction destinations(SaltSource salts) {
        Set<String> always = new TreeSet<>(DESTINATION_FIELDS);
        always.add(TOKEN_SCOPE);
        return new Redaction(always, salts);
    }

    /** Also the field names of a WPC's {@code data_handling.redact}. */
    public Redaction withFields(Collection<String> wpcRedactNames) {
        Set<String> all = new TreeSet<>(names);
        all.addAll(wpcRedactNames);
        all.removeAll(NEVER_REDACTED);
        return new Redaction(all, salts);
    }

    public Set<String> names() {
        return names;
    }

    /** The commitments made in one body: pointer → opening. */
    record Committed(ObjectNode body, Map<String, Opening> openings) {
    }

    /** Commits every redactable value under {@code root}, whose pointer is {@code rootPointer}. */
    Committed commit(ObjectNode root, String rootPointer) {
        ObjectNode copy = root.deepCopy();
        Map<String, Opening> openings = new TreeMap<>();
        walk(copy, rootPointer, openings);
        return new Committed(copy, openings);
    }

    private void walk(JsonNode node, String pointer, Map<String, Opening> openings) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = pointer + "/" + JsonPointers.escape(field.getKey());
                if (names.contains(field.getKey()) && !field.getValue().isNull()) {
                    Opening opening = new Opening(salts.nextSalt(), field.getValue());
                    openings.put(child, opening);
                    field.setValue(TextNode.valueOf(opening.commitment().toString()));
                } else {
                    walk(field.getValue(), child, openings);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                walk(array.get(i), pointer + "/" + i, openings);
            }
        }
    }
}
