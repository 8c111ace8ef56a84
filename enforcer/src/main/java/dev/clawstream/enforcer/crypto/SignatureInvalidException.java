package dev.clawstream.enforcer.crypto;

/**
 * A signature did not verify, or named a key that is not trusted. Checked, so that a failed
 * verification cannot be ignored the way a {@code false} can.
 */
public final class SignatureInvalidException extends Exception {

    /** Why verification failed; callers map these to different reasons. */
    public enum Failure { UNKNOWN_KEY, BAD_SIGNATURE }

    private final Failure failure;

    public SignatureInvalidException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
