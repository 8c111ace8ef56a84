package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.canonical.Timestamps;
import dev.clawstream.schemas.Decision;
import dev.clawstream.schemas.GatewayReceipt;
import dev.clawstream.schemas.SealReason;
import dev.clawstream.schemas.json.AvroJson;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entry of a job's chain: a JSON object whose RFC 8785 canonical bytes are hashed, with redacted
 * values already replaced by their commitments, and the openings of those commitments beside it (the
 * full bundle shows them, the redacted copy does not; the hashed bytes are the same). Immutable.
 *
 * <p>Shapes (docs/proof-bundle.md, "Entries"): {@code header}; {@code decision} and {@code receipt}
 * holding the natural JSON of the Avro record ({@code AvroJson}) under that name plus
 * {@code committed}, the sorted JSON pointers of its commitments; {@code close} and
 * {@code segment_end}, which end a segment.
 */
public final class Entry {

    /** The format every bundle of this version declares in its header and document. */
    public static final String FORMAT = "clawstream-bundle/v1";

    private final ObjectNode body;
    private final Map<String, Opening> openings;
    private byte[] canonical;

    private Entry(ObjectNode body, Map<String, Opening> openings) {
        this.body = Objects.requireNonNull(body, "body");
        this.openings = Map.copyOf(openings);
    }

    public static Entry header(Header header) {
        return new Entry(header.toJson(), Map.of());
    }

    /** A decision, its destination (and the WPC's redact fields) committed. */
    public static Entry decision(Decision decision, Redaction redaction) {
        return committed(EntryKind.DECISION, AvroJson.toJson(decision), redaction);
    }

    /** A gateway receipt as signed, with the WPC's redact fields committed. */
    public static Entry receipt(GatewayReceipt receipt, Redaction redaction) {
        return committed(EntryKind.RECEIPT, AvroJson.toJson(receipt), redaction);
    }

    /** The final entry: the job closed ({@code JOB_CLOSED}) or was idle too long ({@code IDLE_TIMEOUT}). */
    public static Entry close(int segment, SealReason reason, Optional<String> detail, Instant time) {
        if (reason != SealReason.JOB_CLOSED && reason != SealReason.IDLE_TIMEOUT) {
            throw new IllegalArgumentException("a job closes with JOB_CLOSED or IDLE_TIMEOUT, not " + reason);
        }
        ObjectNode node = terminal(EntryKind.CLOSE, segment, reason, time);
        node.put("detail", detail.orElse(null));
        return new Entry(node, Map.of());
    }

    /** The last entry of a segment cut for size; the next segment chains on from it. */
    public static Entry segmentEnd(int segment, Instant time) {
        return new Entry(terminal(EntryKind.SEGMENT_END, segment, SealReason.SEGMENT_FULL, time), Map.of());
    }

    /** An entry as read from a document; the verifier checks it. */
    public static Entry read(ObjectNode body, Map<String, Opening> openings) {
        return new Entry(body.deepCopy(), openings);
    }

    private static ObjectNode terminal(EntryKind kind, int segment, SealReason reason, Instant time) {
        if (segment < 0) {
            throw new IllegalArgumentException("segment " + segment + " < 0");
        }
        ObjectNode node = BundleJson.object();
        node.put("kind", kind.json());
        node.put("segment", segment);
        node.put("reason", reason.name());
        node.put("time", Timestamps.rfc3339Millis(time));
        return node;
    }

    private static Entry committed(EntryKind kind, ObjectNode record, Redaction redaction) {
        Redaction.Committed committed = redaction.commit(record, "/" + kind.json());
        ObjectNode node = BundleJson.object();
        node.put("kind", kind.json());
        ArrayNode pointers = node.putArray("committed");
        committed.openings().keySet().forEach(pointers::add);
        node.set(kind.json(), committed.body());
        return new Entry(node, committed.openings());
    }

    /** The kind, when {@code kind} names one. */
    public Optional<EntryKind> kind() {
        return EntryKind.fromJson(body.path("kind").asText(""));
    }

    /**
     * The bytes that are hashed: RFC 8785 canonical JSON of the entry, commitments in place.
     *
     * @throws IllegalArgumentException when the entry has no canonical form (a lone surrogate, a
     *                                  number that is not finite): only a document not ours can hold one
     */
    public byte[] canonicalBytes() {
        if (canonical == null) {
            canonical = CanonicalJson.bytes(body);
        }
        return canonical.clone();
    }

    /** The entry as hashed (copy). */
    public ObjectNode body() {
        return body.deepCopy();
    }

    /** Pointer → opening; empty in a redacted copy. */
    public Map<String, Opening> openings() {
        return new TreeMap<>(openings);
    }

    /** The pointers the entry itself declares committed (inside the hashed bytes). */
    public List<String> committedPointers() {
        List<String> pointers = new ArrayList<>();
        body.path("committed").forEach(p -> pointers.add(p.asText()));
        return pointers;
    }

    /** The same entry without openings: what Trust Pulse shows. */
    public Entry redacted() {
        return new Entry(body, Map.of());
    }

    /** The entry with every opened commitment replaced by its value (what the full bundle says happened). */
    public ObjectNode opened() {
        ObjectNode copy = body.deepCopy();
        openings.forEach((pointer, opening) -> JsonPointers.set(copy, pointer, opening.value()));
        return copy;
    }

    /** The value at a JSON pointer of the hashed entry (a copy: the entry stays as it was hashed). */
    public Optional<JsonNode> at(String pointer) {
        return JsonPointers.at(body, pointer).map(JsonNode::deepCopy);
    }

    /** The text of a top-level member, or empty when it is absent or not a string. */
    public Optional<String> text(String member) {
        JsonNode value = body.get(member);
        return value != null && value.isTextual() ? Optional.of(value.textValue()) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.body.equals(body) && e.openings.equals(openings);
    }

    @Override
    public int hashCode() {
        return body.hashCode();
    }

    @Override
    public String toString() {
        return "Entry[" + body.path("kind").asText("?") + ", " + openings.size() + " opening(s)]";
    }
}
