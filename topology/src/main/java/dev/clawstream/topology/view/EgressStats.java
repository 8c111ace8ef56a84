package dev.clawstream.topology.view;

import java.time.Instant;
import java.util.List;

/** What {@code egress stats} answers: totals over a range and the busiest destinations each way. */
public record EgressStats(Instant from, Instant to, String agent, TrafficCounts totals,
                          List<DestinationStats> topAllowed, List<DestinationStats> topDenied) {
}
