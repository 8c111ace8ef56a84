package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A JSON tree plus where each value and each object key began in the text, keyed by RFC 6901 pointer,
 * so that a check made on the tree can still name the line and column of what it refuses.
 */
record LocatedJson(JsonNode root, Map<String, TextPosition> values, Map<String, TextPosition> keys) {

    LocatedJson {
        values = Map.copyOf(values);
        keys = Map.copyOf(keys);
    }

    TextPosition valueAt(JsonPath at) {
        return values.getOrDefault(at.pointer(), TextPosition.START);
    }

    /** The key's position for an object member, else the value's. */
    TextPosition keyAt(JsonPath at) {
        TextPosition key = keys.get(at.pointer());
        return key != null ? key : valueAt(at);
    }

    /** 1-based line and column. */
    record TextPosition(int line, int column) {
        static final TextPosition START = new TextPosition(1, 1);
    }
}
