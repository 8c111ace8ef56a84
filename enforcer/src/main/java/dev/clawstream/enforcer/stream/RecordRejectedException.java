package dev.clawstream.enforcer.stream;

/**
 * A record a stage refuses on purpose (not a bug): thrown from a processor so that the processing
 * exception handler ({@link DeadLetterHandler}) dead-letters the raw record with this message, and the
 * stream goes on.
 */
public final class RecordRejectedException extends RuntimeException {
    public RecordRejectedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
