package dev.clawstream.topology.view;

/**
 * Decisions counted in one window (one agent, or one agent and destination).
 *
 * @param wouldDeny allowed only because the WPC is in monitor mode: what enforcing would have blocked
 * @param modelCalls gateway receipts decided (counted as requests, not as destinations)
 */
public record TrafficCounts(long requests, long allowed, long denied, long wouldDeny, long bytesOut, long modelCalls) {

    public static final TrafficCounts NONE = new TrafficCounts(0, 0, 0, 0, 0, 0);

    public TrafficCounts plus(TrafficCounts other) {
        return new TrafficCounts(requests + other.requests, allowed + other.allowed, denied + other.denied,
                wouldDeny + other.wouldDeny, bytesOut + other.bytesOut, modelCalls + other.modelCalls);
    }
}
