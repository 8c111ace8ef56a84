package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.Ports;

import java.util.Objects;

/**
 * One allow or deny entry of a WPC as the matcher sees it: where it sits in the document (an RFC 6901
 * pointer, reported in every decision it makes) and the ports it covers.
 */
public record EgressRule(String pointer, Ports ports) {

    public EgressRule {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(ports, "ports");
    }

    /** Whether this rule covers {@code port}; {@code defaultPort} is the scheme's own (443 for https). */
    public boolean covers(int port, int defaultPort) {
        return ports.covers(port, defaultPort);
    }
}
