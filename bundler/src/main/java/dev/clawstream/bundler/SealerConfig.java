package dev.clawstream.bundler;

import java.time.Duration;
import java.util.Objects;

/**
 * How the bundler seals.
 *
 * @param originPrefix           the first part of every checkpoint origin: {@code <prefix>/<job id>};
 *                               names this deployment's bundler (a schema-less URL is recommended)
 * @param checkpointEveryEntries sign an interim checkpoint after this many entries since the last
 * @param checkpointEvery        ... or when this much time has passed since the last and entries were added
 * @param maxSegmentBytes        cut a segment once its full document would exceed this many bytes; keep it
 *                               well below the topic's {@code max.message.bytes} (1 MiB by default)
 * @param idleTimeout            seal a job with IDLE_TIMEOUT when nothing was appended for this long
 */
public record SealerConfig(String originPrefix, long checkpointEveryEntries, Duration checkpointEvery,
                           long maxSegmentBytes, Duration idleTimeout) {

    public static final String DEFAULT_ORIGIN_PREFIX = "clawstream/bundles";

    public SealerConfig {
        Objects.requireNonNull(originPrefix, "originPrefix");
        if (originPrefix.isEmpty() || originPrefix.codePoints().anyMatch(c -> c == '+' || c <= 0x20
                || Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            throw new IllegalArgumentException("an origin prefix is non-empty, without spaces, control characters"
                    + " or '+' (it is also the signed-note key name)");
        }
        if (checkpointEveryEntries < 1) {
            throw new IllegalArgumentException("checkpointEveryEntries must be at least 1");
        }
        if (checkpointEvery.isNegative() || checkpointEvery.isZero()) {
            throw new IllegalArgumentException("checkpointEvery must be positive");
        }
        if (maxSegmentBytes < 16 * 1024) {
            throw new IllegalArgumentException("maxSegmentBytes below 16 KiB cannot hold a segment's overhead");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    /**
     * The largest entry a segment takes (an eighth of a segment); a larger one is refused, never cut.
     */
    public long maxEntryBytes() {
        return maxSegmentBytes / 8;
    }

    /**
     * Where a segment is cut: far enough below {@link #maxSegmentBytes} that the entries appended for one
     * record (a decision and its receipt, each at most {@link #maxEntryBytes}) never take it past the
     * maximum, so no sealed segment can outgrow the topic's message size.
     */
    public long cutAtBytes() {
        return maxSegmentBytes - 2 * maxEntryBytes();
    }

    /**
     * A checkpoint every minute or every 10,000 entries (the figures), segments up to 900,000
     * bytes (under Kafka's default 1 MiB message), idle jobs sealed after 30 minutes.
     */
    public static SealerConfig defaults() {
        return new SealerConfig(DEFAULT_ORIGIN_PREFIX, 10_000, Duration.ofMinutes(1), 900_000, Duration.ofMinutes(30));
    }
}
