package dev.clawstream.alerter.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML (or JSON) document as a tree that remembers where each value and key began, so that a check
 * made on the tree can name the line and column of what it refuses. Jackson's own tree forgets this.
 */
sealed interface YamlNode {

    Position at();

    /** 1-based line and column. */
    record Position(int line, int column) {
        static final Position START = new Position(1, 1);

        static Position of(JsonLocation location) {
            return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
        }
    }

    /** A scalar as written: {@code text} is null for YAML null; {@code string} if it was a string token. */
    record Scalar(String text, boolean string, Position at) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, Position at) implements YamlNode {
    }

    record Mapping(Map<String, Member> members, Position at) implements YamlNode {
    }

    record Member(Position keyAt, YamlNode value) {
    }

    /** A parsed document or the (located) reason it could not be read. */
    sealed interface Read {
        record Tree(YamlNode root) implements Read {
        }

        record Broken(List<RulesError> errors) implements Read {
        }
    }

    /** A rules file is a few levels deep; a cap stops a hostile document from exhausting the stack. */
    int MAX_NESTING = 16;

    static Read read(String text, String source) {
        YAMLFactory factory = YAMLFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build()).build();
        List<RulesError> errors = new ArrayList<>();
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() == null) {
                return new Read.Broken(List.of(new RulesError(source, 1, 1, "$", "the file is empty")));
            }
            YamlNode root = value(parser, "$", source, errors);
            if (!errors.isEmpty()) {
                return new Read.Broken(errors);
            }
            return new Read.Tree(root);
        } catch (StreamReadException e) {
            Position p = e.getLocation() == null ? Position.START : Position.of(e.getLocation());
            errors.add(new RulesError(source, p.line(), p.column(), "$", "malformed YAML: " + e.getOriginalMessage()));
            return new Read.Broken(errors);
        } catch (IOException e) {
            throw new UncheckedIOException("reading from a String cannot fail", e);
        }
    }

    private static YamlNode value(JsonParser parser, String path, String source, List<RulesError> errors)
            throws IOException {
        Position at = Position.of(parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, Member> members = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                Position keyAt = Position.of(parser.currentTokenLocation());
                parser.nextToken();
                YamlNode child = value(parser, path + "." + name, source, errors);
                if (members.containsKey(name)) {
                    Position first = members.get(name).keyAt();
                    errors.add(new RulesError(source, keyAt.line(), keyAt.column(), path + "." + name,
                            "duplicate key \"" + name + "\" (first at " + first.line() + ":" + first.column() + ")"));
                } else {
                    members.put(name, new Member(keyAt, child));
                }
            }
            return new Mapping(members, at);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> items = new ArrayList<>();
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                items.add(value(parser, path + "[" + i++ + "]", source, errors));
            }
            return new Sequence(items, at);
        }
        if (token == JsonToken.VALUE_NULL) {
            return new Scalar(null, false, at);
        }
        return new Scalar(parser.getText(), token == JsonToken.VALUE_STRING, at);
    }
}
