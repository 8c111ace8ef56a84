package dev.clawstream.alerter.stream;

import dev.clawstream.alerter.detect.ScannableState;
import dev.clawstream.alerter.detect.WindowedState;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The detectors' state interfaces over Kafka Streams stores. */
final class StoreStates {

    private StoreStates() {
    }

    static <S> ScannableState<S> of(KeyValueStore<String, S> store) {
        return new ScannableState<>() {
            @Override
            public Optional<S> get(String key) {
                return Optional.ofNullable(store.get(key));
            }

            @Override
            public void put(String key, S value) {
                store.put(key, value);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public void forEach(BiConsumer<String, S> action) {
                try (KeyValueIterator<String, S> all = store.all()) {
                    while (all.hasNext()) {
                        KeyValue<String, S> entry = all.next();
                        action.accept(entry.key, entry.value);
                    }
                }
            }
        };
    }

    static <S> WindowedState<S> of(WindowStore<String, S> store) {
        return new WindowedState<>() {
            @Override
            public Optional<S> get(String key, long bucketStart) {
                return Optional.ofNullable(store.fetch(key, bucketStart));
            }

            @Override
            public void put(String key, long bucketStart, S value) {
                store.put(key, value, bucketStart);
            }

            @Override
            public List<S> fetch(String key, long from, long to) {
                List<S> values = new ArrayList<>();
                // The epoch-millisecond fetch, not the Instant one: that default method formats its two
                // error-message prefixes with String.format on every call, error or not — 4 % of the
                // alerter's thread under load (JFR), for messages never shown.
                try (WindowStoreIterator<S> it = store.fetch(key, Math.max(0, from), Math.max(0, to))) {
                    it.forEachRemaining(kv -> values.add(kv.value));
                }
                return values;
            }
        };
    }
}
