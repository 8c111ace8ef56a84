package dev.clawstream.schemas.registry;

/**
 * The schema registry refused a request or could not be reached. Carries the HTTP status and
 * Confluent's numeric {@code error_code} (e.g. 40403 schema not found, 40901 incompatible schema) so
 * callers can tell a missing schema from an outage. Status and code are 0 when no answer arrived.
 */
public final class SchemaRegistryException extends RuntimeException {

    /** Confluent's code for "schema not found". */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent's code for "subject not found". */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /**
     * The code our embedded registry sends for "schema is incompatible with an earlier schema".
     * Confluent's server sends 409 as the code; both come with HTTP 409, see {@link #incompatibleSchema()}.
     */
    public static final int INCOMPATIBLE_SCHEMA = 40901;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** The registry refused the schema as incompatible (HTTP 409, whichever error code it chose). */
    public boolean incompatibleSchema() {
        return httpStatus == 409;
    }
}
