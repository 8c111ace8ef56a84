package dev.clawstream.schemas.json;

/** One problem in a JSON document, at a JSON path such as {@code $.items[2].name}. */
public record JsonFieldError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
