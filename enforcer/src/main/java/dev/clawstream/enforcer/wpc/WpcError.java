package dev.clawstream.enforcer.wpc;

import java.util.Objects;

/**
 * One fault in a WPC document, located so an author can jump to it.
 *
 * @param source the name the document was read under, e.g. {@code wpc.json}
 * @param line   1-based line of the offending value (or key)
 * @param column 1-based column, in characters
 * @param path   JSON path of the offending value, e.g. {@code $.deny.ip_cidrs[0]}
 */
public record WpcError(String source, int line, int column, String path, String message) {

    public WpcError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code wpc.json:17:9 $.deny.ip_cidrs[0]: prefix length 33 > 32}: the compiler-style form editors link. */
    @Override
    public String toString() {
        return source + ":" + line + ":" + column + " " + path + ": " + message;
    }
}
