package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** RFC 6901 JSON pointers into an entry: where a commitment stands. */
final class JsonPointers {

    private JsonPointers() {
    }

    /** RFC 6901 section 3: '~' as "~0", '/' as "~1". */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The node at {@code pointer}, when the pointer is well-formed and names one. */
    static Optional<JsonNode> at(JsonNode root, String pointer) {
        try {
            JsonNode node = root.at(JsonPointer.compile(pointer));
            return node.isMissingNode() ? Optional.empty() : Optional.of(node);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Replaces the value at {@code pointer} (which must exist) in {@code root}. */
    static void set(JsonNode root, String pointer, JsonNode value) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        String last = p.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(p.last().getMatchingIndex(), value);
        } else {
            throw new IllegalArgumentException("no container at " + pointer);
        }
    }
}
