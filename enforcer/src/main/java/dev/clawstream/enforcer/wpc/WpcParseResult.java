package dev.clawstream.enforcer.wpc;

import java.util.List;
import java.util.Objects;

/** The outcome of {@link WpcParser#parse}: a usable policy, or every fault found in the document. */
public sealed interface WpcParseResult {

    record Valid(Wpc wpc, WpcDocument document) implements WpcParseResult {
        public Valid {
            Objects.requireNonNull(wpc, "wpc");
            Objects.requireNonNull(document, "document");
        }
    }

    /** At least one error, in document order. */
    record Invalid(List<WpcError> errors) implements WpcParseResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("an invalid document has at least one error");
            }
        }
    }
}
