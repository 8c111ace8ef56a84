package dev.clawstream.topology.registry;

import java.util.List;

/**
 * A refusal in Confluent's error shape ({@code {"error_code":40401,"message":"..."}}): the HTTP status
 * plus the finer Confluent error code that clients branch on.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final int errorCode;

    private ApiError(int status, int errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }

    static ApiError subjectNotFound(String subject) {
        return new ApiError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static ApiError versionNotFound(int version) {
        return new ApiError(404, 40402, "Version " + version + " not found.");
    }

    static ApiError schemaNotFound() {
        return new ApiError(404, 40403, "Schema not found");
    }

    static ApiError subjectLevelNotConfigured(String subject) {
        return new ApiError(404, 40408,
                "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static ApiError incompatible(String subject, List<String> messages) {
        return new ApiError(409, 40901, "Schema being registered is incompatible with an earlier schema for subject \""
                + subject + "\", details: " + messages);
    }

    static ApiError invalidSchema(String reason) {
        return new ApiError(422, 42201, "Invalid schema: " + reason);
    }

    static ApiError invalidVersion(String version) {
        return new ApiError(422, 42202, "The specified version '" + version + "' is not a valid version id. "
                + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static ApiError invalidCompatibilityLevel(String given) {
        return new ApiError(422, 42203, "Invalid compatibility level '" + given + "'. Valid values are none, "
                + "backward, forward, full, backward_transitive, forward_transitive, and full_transitive");
    }

    static ApiError malformedBody(String reason) {
        return new ApiError(400, 400, "Malformed request body: " + reason);
    }

    static ApiError unsupportedMediaType(String contentType) {
        return new ApiError(415, 415, "HTTP 415 Unsupported Media Type: " + contentType);
    }

    /** Javalin's own refusals (no such route, method not allowed), in Jersey's wording as Confluent sends them. */
    static ApiError http(int status, String reason) {
        return new ApiError(status, status, "HTTP " + status + " " + reason);
    }

    static ApiError backend(String reason) {
        return new ApiError(500, 50001, "Error in the backend data store: " + reason);
    }
}
