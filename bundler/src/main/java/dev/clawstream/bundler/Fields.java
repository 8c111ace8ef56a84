package dev.clawstream.bundler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.clawstream.bundler.VerificationException.Check;
import dev.clawstream.enforcer.canonical.Sha256Hash;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Strict reads of document fields: every failure is a FORMAT failure naming the field. */
final class Fields {

    private Fields() {
    }

    static void requireOnly(JsonNode node, Set<String> allowed, String where) throws VerificationException {
        if (!node.isObject()) {
            throw VerificationException.of(Check.FORMAT, where + " is not a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw VerificationException.of(Check.FORMAT, where + " has unknown field '" + name + "'");
            }
        }
    }

    static JsonNode required(JsonNode node, String field, String where) throws VerificationException {
        JsonNode value = node.get(field);
        if (value == null) {
            throw VerificationException.of(Check.FORMAT, where + "." + field + " is missing");
        }
        return value;
    }

    static String string(JsonNode node, String field, String where) throws VerificationException {
        JsonNode value = required(node, field, where);
        if (!value.isTextual()) {
            throw VerificationException.of(Check.FORMAT, where + "." + field + " is not a string");
        }
        return value.textValue();
    }

    static boolean bool(JsonNode node, String field, String where) throws VerificationException {
        JsonNode value = required(node, field, where);
        if (!value.isBoolean()) {
            throw VerificationException.of(Check.FORMAT, where + "." + field + " is not a boolean");
        }
        return value.booleanValue();
    }

    static long nonNegativeLong(JsonNode node, String field, String where) throws VerificationException {
        JsonNode value = required(node, field, where);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
                || value.longValue() > (1L << 53)) {
            throw VerificationException.of(Check.FORMAT, where + "." + field
                    + " is not an integer in [0, 2^53] (I-JSON: larger integers are not exact in every reader)");
        }
        return value.longValue();
    }

    static Sha256Hash hash(JsonNode node, String field, String where) throws VerificationException {
        return parseHash(string(node, field, where), where + "." + field);
    }

    static Sha256Hash parseHash(String text, String where) throws VerificationException {
        try {
            return Sha256Hash.parse(text);
        } catch (IllegalArgumentException e) {
            throw VerificationException.of(Check.FORMAT, where + " is not sha256:<64 lower-case hex>");
        }
    }

    static List<Sha256Hash> hashes(JsonNode node, String field, String where, int max) throws VerificationException {
        JsonNode value = required(node, field, where);
        if (!value.isArray() || value.size() > max) {
            throw VerificationException.of(Check.FORMAT, where + "." + field + " is not an array of at most " + max
                    + " hashes");
        }
        List<Sha256Hash> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw VerificationException.of(Check.FORMAT, where + "." + field + "[" + i + "] is not a string");
            }
            out.add(parseHash(value.get(i).textValue(), where + "." + field + "[" + i + "]"));
        }
        return out;
    }
}
