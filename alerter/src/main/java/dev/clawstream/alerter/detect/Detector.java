package dev.clawstream.alerter.detect;

import java.util.List;

/**
 * One rule's detector. Pure: no Kafka; whatever it remembers lives in the {@link KeyedState} or
 * {@link WindowedState} it was built with, so the topology can keep it in fault-tolerant stores.
 */
public interface Detector {

    /**
     * @param streamTime the highest event time seen so far by the caller (Kafka Streams' stream time):
     *                   windowed detectors ignore observations whose windows have closed (older than the
     *                   window plus the grace period)
     */
    List<Finding> observe(Observation observation, long streamTime);

    /** Findings that become due as stream time passes, with no record to trigger them. */
    default List<Finding> advance(long streamTime) {
        return List.of();
    }
}
