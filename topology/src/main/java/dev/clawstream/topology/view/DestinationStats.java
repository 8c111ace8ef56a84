package dev.clawstream.topology.view;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One destination's traffic over a window: what {@code egress stats} ranks and {@code egress blocked}
 * lists. Agents and reasons are sets/maps kept small by their nature (agents of one fleet, the enforcer's
 * reason codes), capped anyway so a hostile stream cannot grow one value without bound.
 *
 * @param firstSeen epoch millis of the earliest decision counted
 * @param lastSeen  epoch millis of the latest decision counted
 * @param denyReasons reason code → count, for the denied (and monitor-mode would-deny) decisions
 */
public record DestinationStats(String destination, long allowed, long denied, long wouldDeny, long bytesOut,
                               long firstSeen, long lastSeen, Set<String> agents, Map<String, Long> denyReasons) {

    /** More agents than this on one destination are counted but not named. */
    static final int MAX_AGENTS = 50;

    public DestinationStats {
        Objects.requireNonNull(destination, "destination");
        agents = new TreeSet<>(agents);
        denyReasons = new TreeMap<>(denyReasons);
    }

    public static DestinationStats first(String destination, String agent, boolean allowed, boolean denied,
                                         boolean wouldDeny, String reason, long bytesOut, long time) {
        Map<String, Long> reasons = denied || wouldDeny ? Map.of(reason, 1L) : Map.of();
        return new DestinationStats(destination, allowed ? 1 : 0, denied ? 1 : 0, wouldDeny ? 1 : 0, bytesOut, time, time,
                Set.of(agent), reasons);
    }

    public long requests() {
        return allowed + denied;
    }

    public DestinationStats plus(DestinationStats other) {
        TreeSet<String> mergedAgents = new TreeSet<>(agents);
        for (String agent : other.agents) {
            if (mergedAgents.size() >= MAX_AGENTS) {
                break;
            }
            mergedAgents.add(agent);
        }
        TreeMap<String, Long> reasons = new TreeMap<>(denyReasons);
        other.denyReasons.forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
        return new DestinationStats(destination, allowed + other.allowed, denied + other.denied,
                wouldDeny + other.wouldDeny, bytesOut + other.bytesOut, Math.min(firstSeen, other.firstSeen),
                Math.max(lastSeen, other.lastSeen), mergedAgents, reasons);
    }
}
