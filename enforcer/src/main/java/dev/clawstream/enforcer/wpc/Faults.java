package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.wpc.LocatedJson.TextPosition;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The errors found in one document so far; every check adds to it and none stops the others. */
final class Faults {

    private final String source;
    private final LocatedJson json;
    private final List<WpcError> errors = new ArrayList<>();

    Faults(String source, LocatedJson json) {
        this.source = source;
        this.json = json;
    }

    /** A fault in the value at {@code at}, located where {@code anchor} (it, or its nearest present parent) begins. */
    void atValue(JsonPath at, JsonPath anchor, String message) {
        add(json.valueAt(anchor), at, message);
    }

    /** A fault in an object member's name, located at the key. */
    void atKey(JsonPath at, String message) {
        add(json.keyAt(at), at, message);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** In document order, so an author fixes them top to bottom. */
    List<WpcError> inDocumentOrder() {
        return errors.stream()
                .sorted(Comparator.comparingInt(WpcError::line).thenComparingInt(WpcError::column))
                .toList();
    }

    private void add(TextPosition position, JsonPath at, String message) {
        errors.add(new WpcError(source, position.line(), position.column(), at.path(), message));
    }
}
