package dev.clawstream.topology.registry;

/** The {@code _schemas} log could not be written or read in time: broken infrastructure, not bad input. */
public final class SchemaLogException extends RuntimeException {

    public SchemaLogException(String message) {
        super(message);
    }

    public SchemaLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
