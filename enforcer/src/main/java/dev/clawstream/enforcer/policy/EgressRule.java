package dev.clawstream.enforcer.policy;

import java.util.Objects;
import java.util.Set;

/**
 * One allow or deny entry of a WPC, as the matcher sees it: where it sits in the document (an RFC 6901
 * pointer, reported in every decision it makes) and the ports it lists. An empty port set means the
 * rule named none; what that means depends on the list it is in (see {@link PortScope}).
 */
public record EgressRule(String pointer, Set<Integer> ports) {

    public EgressRule {
        Objects.requireNonNull(pointer, "pointer");
        ports = Set.copyOf(ports);
    }

    /** Whether this rule covers {@code port}; {@code defaultPort} is the scheme's own (443 for https). */
    public boolean covers(int port, int defaultPort, PortScope scope) {
        if (!ports.isEmpty()) {
            return ports.contains(port);
        }
        return scope == PortScope.EVERY_PORT || port == defaultPort;
    }

    /**
     * What a rule without ports covers. An allow rule without ports allows only the scheme's default
     * port (allowing {@code api.example.com} must not open its SSH port); a deny rule without ports
     * denies every port, because deny must never be narrower than its author meant.
     */
    public enum PortScope { DEFAULT_PORT_ONLY, EVERY_PORT }
}
