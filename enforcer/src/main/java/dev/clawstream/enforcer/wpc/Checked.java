package dev.clawstream.enforcer.wpc;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/** A value parsed from one string of a WPC, or the reason it could not be: errors as data. */
public sealed interface Checked<T> {

    record Ok<T>(T value) implements Checked<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Problem<T>(String message) implements Checked<T> {
        public Problem {
            Objects.requireNonNull(message, "message");
        }
    }

    static <T> Checked<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Checked<T> problem(String message) {
        return new Problem<>(message);
    }

    /** The value, or empty after handing the problem to {@code report}. */
    default Optional<T> orReport(Consumer<String> report) {
        if (this instanceof Ok<T> ok) {
            return Optional.of(ok.value());
        }
        report.accept(((Problem<T>) this).message());
        return Optional.empty();
    }
}
