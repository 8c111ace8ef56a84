package dev.clawstream.alerter.detect;

import java.util.List;
import java.util.Optional;

/**
 * A detector's memory per key and time bucket, forgotten after a retention period; a Kafka Streams
 * window store in production (whose segments expire by themselves), a sorted map in tests.
 */
public interface WindowedState<S> {
    Optional<S> get(String key, long bucketStart);

    void put(String key, long bucketStart, S value);

    /** Every value of the key with a bucket start in [from, to], oldest first. */
    List<S> fetch(String key, long from, long to);
}
