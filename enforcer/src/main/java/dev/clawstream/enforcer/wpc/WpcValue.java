package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A value of the document being checked, with its path: the type checks every section reader shares.
 * Each check reports its own fault and returns empty, so the caller simply skips what is wrong and
 * goes on to find the next fault.
 *
 * @param anchor {@code at} if the value is present, else the nearest present parent (where a missing
 *               field is reported)
 */
record WpcValue(JsonNode json, JsonPath at, JsonPath anchor, Faults faults) {

    static WpcValue root(LocatedJson json, Faults faults) {
        return new WpcValue(json.root(), JsonPath.ROOT, JsonPath.ROOT, faults);
    }

    boolean present() {
        return !json.isMissingNode();
    }

    String pointer() {
        return at.pointer();
    }

    void fault(String message) {
        faults.atValue(at, anchor, message);
    }

    WpcValue get(String name) {
        JsonNode child = json.isObject() && json.has(name) ? json.get(name) : MissingNode.getInstance();
        JsonPath childPath = at.field(name);
        return new WpcValue(child, childPath, child.isMissingNode() ? anchor : childPath, faults);
    }

    /** Runs {@code section} on this value if it is present and an object with only {@code known} fields. */
    void ifPresentObject(List<String> known, Consumer<WpcValue> section) {
        if (present() && object(known)) {
            section.accept(this);
        }
    }

    /** Whether this is an object; reports every member not in {@code known}, naming the known ones. */
    boolean object(List<String> known) {
        if (!json.isObject()) {
            fault("expected an object, got " + describe(json));
            return false;
        }
        Set<String> allowed = Set.copyOf(known);
        json.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                faults.atKey(at.field(name), "unknown field \"" + name + "\"; known fields: " + String.join(", ", known));
            }
        });
        return true;
    }

    /** The elements of an array; reports anything else. */
    List<WpcValue> elements() {
        if (!json.isArray()) {
            fault("expected an array, got " + describe(json));
            return List.of();
        }
        List<WpcValue> elements = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) {
            JsonPath element = at.index(i);
            elements.add(new WpcValue(json.get(i), element, element, faults));
        }
        return elements;
    }

    Optional<String> string() {
        if (!json.isTextual()) {
            fault("expected a string, got " + describe(json));
            return Optional.empty();
        }
        return Optional.of(json.textValue());
    }

    /** A name-like string: not empty and without surrounding whitespace, which no reader would notice. */
    Optional<String> name() {
        Optional<String> text = string();
        if (text.isEmpty()) {
            return text;
        }
        if (text.get().isBlank()) {
            fault("must not be empty");
            return Optional.empty();
        }
        if (!text.get().strip().equals(text.get())) {
            fault("leading or trailing whitespace in \"" + text.get() + "\"");
            return Optional.empty();
        }
        return text;
    }

    /** Like {@link #name()}, reporting a missing value as such. */
    Optional<String> requiredName() {
        if (!present()) {
            fault("required field is missing");
            return Optional.empty();
        }
        return name();
    }

    /** Checks an optional name-like field; informational fields are only checked, not modelled. */
    void optionalName() {
        if (present()) {
            name();
        }
    }

    List<String> names() {
        List<String> names = new ArrayList<>();
        for (WpcValue element : elements()) {
            element.name().ifPresent(names::add);
        }
        return names;
    }

    Optional<Boolean> bool() {
        if (!json.isBoolean()) {
            fault("expected true or false, got " + describe(json));
            return Optional.empty();
        }
        return Optional.of(json.booleanValue());
    }

    /** A TCP/UDP port: an integer literal 1..65535 (443.0 and "443" are refused, not coerced). */
    OptionalInt port() {
        if (!json.isIntegralNumber()) {
            fault("expected a port number " + Ports.MIN + "-" + Ports.MAX + ", got " + describe(json));
            return OptionalInt.empty();
        }
        BigInteger port = json.bigIntegerValue();
        if (port.compareTo(BigInteger.valueOf(Ports.MIN)) < 0 || port.compareTo(BigInteger.valueOf(Ports.MAX)) > 0) {
            fault("port " + port + " is outside " + Ports.MIN + "-" + Ports.MAX);
            return OptionalInt.empty();
        }
        return OptionalInt.of(port.intValue());
    }

    static String describe(JsonNode json) {
        return switch (json.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "the string \"" + json.textValue() + "\"";
            case NUMBER -> "the number " + json.numberValue();
            case BOOLEAN -> json.booleanValue() ? "true" : "false";
            case NULL -> "null";
            default -> json.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
