package dev.clawstream.bundler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.enforcer.canonical.Jcs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 canonical bytes written straight from a parsed JSON tree. {@link Jcs} canonicalises JSON
 * <em>text</em>, so an entry would be printed, re-parsed and printed again; entries are hashed once
 * when sealed and once per verification, and that round trip was most of the verifier's time. Same
 * output as {@link Jcs} (a property test holds it to it), which is still used for what is rare and
 * subtle: non-integral numbers and integers beyond 2^53, formatted as ECMAScript does.
 */
public final class CanonicalJson {

    private static final long MAX_EXACT = 1L << 53;

    private CanonicalJson() {
    }

    /**
     * @throws IllegalArgumentException when the value has no canonical form: a string with a lone
     *                                  surrogate (no UTF-8 encoding), a number that is not finite
     */
    public static byte[] bytes(JsonNode value) {
        StringBuilder out = new StringBuilder(256);
        write(value, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case NULL:
                out.append("null");
                break;
            case BOOLEAN:
                out.append(node.booleanValue());
                break;
            case STRING:
                quote(node.textValue(), out);
                break;
            case NUMBER:
                if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= -MAX_EXACT
                        && node.longValue() <= MAX_EXACT) {
                    out.append(node.longValue());
                } else {
                    byte[] wrapped = Jcs.canonicalize("[" + node + "]");
                    out.append(new String(wrapped, 1, wrapped.length - 2, StandardCharsets.UTF_8));
                }
                break;
            case ARRAY:
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
                break;
            case OBJECT:
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    fields.add(it.next());
                }
                // String.compareTo compares UTF-16 code units: the order RFC 8785 section 3.2.3 requires.
                fields.sort(Map.Entry.comparingByKey());
                out.append('{');
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    quote(fields.get(i).getKey(), out);
                    out.append(':');
                    write(fields.get(i).getValue(), out);
                }
                out.append('}');
                break;
            default:
                throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    /** RFC 8785 section 3.2.2.2: the two-character escapes, \\u00xx for other controls, all else as is. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else if (Character.isSurrogate(c)) {
                        if (!Character.isHighSurrogate(c) || i + 1 == s.length()
                                || !Character.isLowSurrogate(s.charAt(i + 1))) {
                            throw new IllegalArgumentException("a string with a lone surrogate has no UTF-8 form");
                        }
                        out.append(c).append(s.charAt(++i));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
