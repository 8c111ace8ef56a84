package dev.clawstream.alerter.detect;

import java.util.Optional;

/** A detector's memory per key; a Kafka Streams key-value store in production, a map in tests. */
public interface KeyedState<S> {
    Optional<S> get(String key);

    void put(String key, S value);

    void delete(String key);
}
