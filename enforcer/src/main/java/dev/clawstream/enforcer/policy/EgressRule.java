package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.Ports;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One allow or deny entry of a WPC as the matcher sees it: where it sits in the document (an RFC 6901
 * pointer, reported in every decision it makes), the ports it covers, and the attestation a job's token
 * must carry for the rule to exist at all.
 */
public record EgressRule(String pointer, Ports ports, Optional<String> requiresAttestation) {

    public EgressRule {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(requiresAttestation, "requiresAttestation");
    }

    public EgressRule(String pointer, Ports ports) {
        this(pointer, ports, Optional.empty());
    }

    /** Whether the rule exists for a job whose token carries {@code attestations}. */
    public boolean appliesTo(Set<String> attestations) {
        return requiresAttestation.isEmpty() || attestations.contains(requiresAttestation.get());
    }

    /** Whether this rule covers {@code port}; {@code defaultPort} is the scheme's own (443 for https). */
    public boolean covers(int port, int defaultPort) {
        return ports.covers(port, defaultPort);
    }
}
