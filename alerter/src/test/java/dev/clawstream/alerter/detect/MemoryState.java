package dev.clawstream.alerter.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/** Detector state in maps, for tests and the detection evaluation. */
public final class MemoryState {

    private MemoryState() {
    }

    public static <S> ScannableState<S> keyed() {
        Map<String, S> map = new HashMap<>();
        return new ScannableState<>() {
            @Override
            public Optional<S> get(String key) {
                return Optional.ofNullable(map.get(key));
            }

            @Override
            public void put(String key, S value) {
                map.put(key, value);
            }

            @Override
            public void delete(String key) {
                map.remove(key);
            }

            @Override
            public void forEach(BiConsumer<String, S> action) {
                new HashMap<>(map).forEach(action);
            }
        };
    }

    public static <S> WindowedState<S> windowed() {
        Map<String, TreeMap<Long, S>> map = new HashMap<>();
        return new WindowedState<>() {
            @Override
            public Optional<S> get(String key, long bucketStart) {
                return Optional.ofNullable(map.getOrDefault(key, new TreeMap<>()).get(bucketStart));
            }

            @Override
            public void put(String key, long bucketStart, S value) {
                map.computeIfAbsent(key, k -> new TreeMap<>()).put(bucketStart, value);
            }

            @Override
            public List<S> fetch(String key, long from, long to) {
                return new ArrayList<>(map.getOrDefault(key, new TreeMap<>()).subMap(from, true, to, true).values());
            }
        };
    }
}
