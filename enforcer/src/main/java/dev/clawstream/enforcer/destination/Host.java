package dev.clawstream.enforcer.destination;

import inet.ipaddr.IPAddress;

import java.util.Objects;

/** A canonical host: a domain name in lower-case A-labels, or an IP address. */
public sealed interface Host {

    /** A domain in its canonical form: lower-case A-labels ({@code xn--...}), no trailing dot. */
    record DomainHost(String ascii) implements Host {
        public DomainHost {
            Objects.requireNonNull(ascii, "ascii");
            // Policy matching compares strings: a second spelling of one name would be a second name.
            if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")
                    || !ascii.equals(ascii.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException("not a canonical domain name: '" + ascii + "'");
            }
        }

        @Override
        public String toString() {
            return ascii;
        }
    }

    /** An IPv4 or IPv6 address, however it was spelled. */
    record AddressHost(IPAddress address) implements Host {
        public AddressHost {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return address.isIPv6() ? "[" + address.toCanonicalString() + "]" : address.toCanonicalString();
        }
    }
}
