package dev.clawstream.alerter.detect;

/**
 * One agent's learned bytes-out per active window, and the window in progress.
 *
 * @param windowStart start of the window in progress
 * @param bytes       bytes out so far in it
 * @param events      events so far in it
 * @param mean        EWMA of the bytes of past active windows
 * @param variance    EWMA variance (West's incremental form)
 * @param history     how many windows the baseline has learned from
 */
public record VolumeBaseline(long windowStart, long bytes, long events, double mean, double variance, int history) {

    static VolumeBaseline first(long windowStart) {
        return new VolumeBaseline(windowStart, 0, 0, 0, 0, 0);
    }

    VolumeBaseline add(long bytesOut) {
        return new VolumeBaseline(windowStart, bytes + bytesOut, events + 1, mean, variance, history);
    }

    /** The window in progress folded into the baseline; a new, empty window from {@code nextStart}. */
    VolumeBaseline roll(long nextStart, double alpha, double cap) {
        double x = Math.min(bytes, cap);
        if (history == 0) {
            return new VolumeBaseline(nextStart, 0, 0, x, 0, 1);
        }
        double diff = x - mean;
        double increment = alpha * diff;
        return new VolumeBaseline(nextStart, 0, 0, mean + increment, (1 - alpha) * (variance + diff * increment),
                history + 1);
    }
}
