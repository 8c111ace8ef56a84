package dev.clawstream.enforcer.crypto;

import java.util.Optional;

/**
 * A signature did not verify, or named a key that is not trusted. Checked, so that a failed
 * verification cannot be ignored the way a {@code false} can. The message names the key id involved,
 * never key material or signature bytes.
 */
public final class SignatureInvalidException extends Exception {

    /** Why verification failed; callers map these to different reasons. */
    public enum Failure {
        /** The key id is not among the trusted keys (or is not a key id at all). */
        UNKNOWN_KEY,
        /** The key is trusted, but the signature is not its signature of these bytes. */
        BAD_SIGNATURE
    }

    private final Failure failure;
    private final transient KeyId keyId;

    public SignatureInvalidException(Failure failure, String message) {
        this(failure, null, message);
    }

    public SignatureInvalidException(Failure failure, KeyId keyId, String message) {
        super(message);
        this.failure = failure;
        this.keyId = keyId;
    }

    public Failure failure() {
        return failure;
    }

    /** The key id the signature claimed; empty only when it named no well-formed key id. */
    public Optional<KeyId> keyId() {
        return Optional.ofNullable(keyId);
    }
}
