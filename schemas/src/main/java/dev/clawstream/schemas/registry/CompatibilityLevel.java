package dev.clawstream.schemas.registry;

import java.util.Locale;
import java.util.Optional;

/**
 * The compatibility rules a schema registry subject can enforce, named exactly as the Confluent Schema
 * Registry names them on the wire ({@code "compatibilityLevel":"BACKWARD"}).
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /**
     * The level with this name, ignoring case as Confluent does; empty for anything else, so that a
     * typo in a request or a record written by a newer registry is reported rather than guessed at.
     */
    public static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        for (CompatibilityLevel level : values()) {
            if (level.name().equals(upper)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** The new schema must be able to read data written with the earlier ones (BACKWARD, FULL). */
    public boolean newReadsOld() {
        return newReadsOld;
    }

    /** The earlier schemas must be able to read data written with the new one (FORWARD, FULL). */
    public boolean oldReadsNew() {
        return oldReadsNew;
    }

    /** Checked against every earlier version rather than only the latest. */
    public boolean transitive() {
        return transitive;
    }
}
