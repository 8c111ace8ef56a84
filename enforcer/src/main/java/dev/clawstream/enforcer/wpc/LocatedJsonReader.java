package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.wpc.LocatedJson.TextPosition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into a {@link LocatedJson}, reporting malformed text and duplicate keys as located
 * errors. Duplicates are found here rather than with Jackson's STRICT_DUPLICATE_DETECTION because that
 * stops at the first one, and because a duplicate key is the classic way to make two parsers read two
 * different policies out of one signed document.
 */
final class LocatedJsonReader {

    // A WPC is a few levels deep; a cap stops a hostile document from exhausting the stack.
    private static final int MAX_NESTING = 32;
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
            .build();

    private final String source;
    private final JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
    private final Map<String, TextPosition> values = new HashMap<>();
    private final Map<String, TextPosition> keys = new HashMap<>();
    private final List<WpcError> errors = new ArrayList<>();
    private JsonPath current = JsonPath.ROOT;

    private LocatedJsonReader(String source) {
        this.source = source;
    }

    /** The tree, or the errors that make it unusable. */
    static Read read(String text, String source) {
        return new LocatedJsonReader(source).readAll(text);
    }

    sealed interface Read {
        record Tree(LocatedJson json) implements Read {
        }

        record Broken(List<WpcError> errors) implements Read {
            public Broken {
                errors = List.copyOf(errors);
            }
        }
    }

    private Read readAll(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return broken(TextPosition.START, JsonPath.ROOT, "malformed JSON: the document is empty");
            }
            JsonNode root = value(parser, JsonPath.ROOT);
            if (parser.nextToken() != null) {
                return broken(position(parser.currentTokenLocation()), JsonPath.ROOT,
                        "malformed JSON: content after the end of the document");
            }
            if (!errors.isEmpty()) {
                return new Read.Broken(errors);
            }
            return new Read.Tree(new LocatedJson(root, values, keys));
        } catch (StreamReadException e) {
            errors.add(error(position(e.getLocation()), current, "malformed JSON: " + e.getOriginalMessage()));
            return new Read.Broken(errors);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a String cannot fail", e);
        }
    }

    private JsonNode value(JsonParser parser, JsonPath at) throws IOException {
        current = at;
        values.put(at.pointer(), position(parser.currentTokenLocation()));
        return switch (parser.currentToken()) {
            case START_OBJECT -> object(parser, at);
            case START_ARRAY -> array(parser, at);
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT -> nodes.numberNode(parser.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IllegalStateException("unexpected token " + parser.currentToken());
        };
    }

    private ObjectNode object(JsonParser parser, JsonPath at) throws IOException {
        ObjectNode object = nodes.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonPath child = at.field(name);
            TextPosition keyPosition = position(parser.currentTokenLocation());
            current = child;
            if (object.has(name)) {
                TextPosition first = keys.get(child.pointer());
                errors.add(error(keyPosition, child, "duplicate key \"" + name + "\" (first at "
                        + first.line() + ":" + first.column() + ")"));
                parser.nextToken();
                parser.skipChildren();
                continue;
            }
            keys.put(child.pointer(), keyPosition);
            parser.nextToken();
            object.set(name, value(parser, child));
        }
        return object;
    }

    private ArrayNode array(JsonParser parser, JsonPath at) throws IOException {
        ArrayNode array = nodes.arrayNode();
        int i = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            array.add(value(parser, at.index(i++)));
        }
        return array;
    }

    private Read broken(TextPosition position, JsonPath at, String message) {
        errors.add(error(position, at, message));
        return new Read.Broken(errors);
    }

    private WpcError error(TextPosition position, JsonPath at, String message) {
        return new WpcError(source, position.line(), position.column(), at.path(), message);
    }

    private static TextPosition position(JsonLocation location) {
        return new TextPosition(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }
}
