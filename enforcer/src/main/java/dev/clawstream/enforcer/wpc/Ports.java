package dev.clawstream.enforcer.wpc;

import java.util.List;

/**
 * The ports a rule covers. An allow rule without {@code ports} covers only the scheme's default port
 * (443 for https), so allowing a name never silently opens its other services; a deny rule without
 * {@code ports} covers every port, so forgetting the list fails closed.
 */
public sealed interface Ports {

    int MIN = 1;
    int MAX = 65535;

    /** Whether a connection to {@code port}, whose scheme defaults to {@code schemeDefaultPort}, is covered. */
    boolean covers(int port, int schemeDefaultPort);

    /** Only the default port of the destination's scheme. */
    record SchemeDefault() implements Ports {
        @Override
        public boolean covers(int port, int schemeDefaultPort) {
            return port == schemeDefaultPort;
        }
    }

    /** Exactly the listed ports, each in 1..65535, sorted, without repeats. */
    record Listed(List<Integer> ports) implements Ports {
        public Listed {
            ports = List.copyOf(ports);
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("a port list is never empty");
            }
        }

        @Override
        public boolean covers(int port, int schemeDefaultPort) {
            return ports.contains(port);
        }
    }

    /** Every port: the default of deny rules. */
    record Every() implements Ports {
        @Override
        public boolean covers(int port, int schemeDefaultPort) {
            return true;
        }
    }
}
