package dev.clawstream.alerter.rules;

import java.util.Objects;

/**
 * One fault in a rules file, located so its author can jump to it.
 *
 * @param path JSON-path style location of the offending field, e.g. {@code $.alerts[2].condition}
 */
public record RulesError(String source, int line, int column, String path, String message) {

    public RulesError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code rules.yaml:7:16 $.alerts[1].severity: ...}: the compiler-style form editors link. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column + " " + path + ": " + message;
    }
}
