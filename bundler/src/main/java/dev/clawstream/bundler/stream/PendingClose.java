package dev.clawstream.bundler.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.SealReason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A job's close event, seen but not yet sealed on. The enforcer may still be deciding the job's last
 * events when the runtime's close arrives (Kafka Streams only orders inputs it has already fetched), so
 * the seal waits until the decisions have demonstrably passed the close — a decision in the same
 * partition stamped later — or, on a quiet partition, for a grace period of wall-clock time.
 *
 * @param streamTime the close record's timestamp: decisions stamped after it come after the close
 * @param seenAt     wall-clock millis when the bundler read the close
 */
record PendingClose(SealReason reason, Optional<String> detail, Instant time, long streamTime, long seenAt) {

    private static final ObjectMapper JSON = new ObjectMapper();

    String toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("reason", reason.name());
        detail.ifPresent(d -> node.put("detail", d));
        node.put("time", time.toEpochMilli());
        node.put("stream_time", streamTime);
        node.put("seen_at", seenAt);
        return node.toString();
    }

    static PendingClose fromJson(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            return new PendingClose(SealReason.valueOf(node.get("reason").asText()),
                    Optional.ofNullable(node.get("detail")).map(JsonNode::asText),
                    Instant.ofEpochMilli(node.get("time").asLong()), node.get("stream_time").asLong(),
                    node.get("seen_at").asLong());
        } catch (IOException | RuntimeException e) {
            // Written by the bundler itself; unreadable means the store is corrupt, not the input.
            throw new IllegalStateException("pending close unreadable: " + text, e instanceof IOException
                    ? new UncheckedIOException((IOException) e) : e);
        }
    }
}
