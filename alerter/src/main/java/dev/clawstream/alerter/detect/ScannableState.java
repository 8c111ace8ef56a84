package dev.clawstream.alerter.detect;

import java.util.function.BiConsumer;

/** A {@link KeyedState} that can also be walked, for detectors that act when time passes, not on a record. */
public interface ScannableState<S> extends KeyedState<S> {

    /** Every entry; the action must not modify the state (collect, then change). */
    void forEach(BiConsumer<String, S> action);
}
