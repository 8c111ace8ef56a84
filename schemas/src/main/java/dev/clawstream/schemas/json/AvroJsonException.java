package dev.clawstream.schemas.json;

import java.util.List;
import java.util.stream.Collectors;

/** A JSON document that does not fit its Avro schema; lists every problem, not only the first. */
public final class AvroJsonException extends Exception {

    private final List<JsonFieldError> errors;

    public AvroJsonException(List<JsonFieldError> errors) {
        super(errors.stream().map(JsonFieldError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<JsonFieldError> errors() {
        return errors;
    }
}
