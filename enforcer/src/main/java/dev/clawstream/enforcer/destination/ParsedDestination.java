package dev.clawstream.enforcer.destination;

import java.util.Objects;

/** What a destination turned out to be: a canonical destination, or why it cannot be decided on. */
public sealed interface ParsedDestination {

    /**
     * A destination as a WHATWG-URL client would connect to it. Already canonical: nobody re-parses
     * or re-lowercases it later.
     *
     * @param schemeDefaultPort the scheme's default port (443 for https), which WPC port rules refer to
     */
    record EgressDestination(String scheme, Host host, int port, int schemeDefaultPort) implements ParsedDestination {
        public EgressDestination {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " out of range 0-65535");
            }
        }

        /** Whether the connection goes to the scheme's default port, however it was written. */
        public boolean defaultPort() {
            return port == schemeDefaultPort;
        }

        @Override
        public String toString() {
            return scheme + "://" + host + (defaultPort() ? "" : ":" + port);
        }
    }

    /**
     * Not a destination anyone can decide on. INVALID: no client would connect anywhere. AMBIGUOUS:
     * clients disagree about where it goes — the gap attackers use to slip past a filter.
     */
    record Unparseable(Kind kind, String reason) implements ParsedDestination {
        public enum Kind { INVALID, AMBIGUOUS }

        public Unparseable {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
