package dev.clawstream.topology.authoring;

import dev.clawstream.enforcer.destination.Host;

import java.util.Objects;

/**
 * One recorded connection attempt, as {@code policy suggest} counts it: the canonical destination the
 * enforcer decided on (already lower-cased, IDNA-mapped, IPv4 in dotted quad), its port, and who tried.
 */
public record Observation(Host host, int port, String agentId, String jobId) {

    public Observation {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(jobId, "jobId");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " out of range 1-65535");
        }
    }
}
