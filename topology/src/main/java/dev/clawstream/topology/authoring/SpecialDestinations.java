package dev.clawstream.topology.authoring;

import dev.clawstream.enforcer.destination.Host;
import dev.clawstream.enforcer.destination.SpecialPurposeAddresses;
import dev.clawstream.enforcer.destination.SpecialPurposeAddresses.SpecialRange;
import inet.ipaddr.IPAddress;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why an allow rule would open a special-purpose destination (cloud metadata, loopback, RFC 1918,
 * link-local ...), if it would: such rules are how an SSRF reaches instance credentials, so tools that
 * write allowlists refuse them unless the author insists.
 */
public final class SpecialDestinations {

    private SpecialDestinations() {
    }

    /** Why allowing {@code block} (as the author wrote it: {@code written}) is special, or empty when it touches no special range. */
    public static Optional<String> whyBlockIsSpecial(String written, IPAddress block) {
        List<SpecialRange> ranges = SpecialPurposeAddresses.overlapping(block);
        if (ranges.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(written + " overlaps special-purpose range(s) " + ranges.stream()
                .map(r -> r.cidr() + " (" + r.name() + ")").distinct().collect(Collectors.joining(", ")));
    }

    /** Why allowing the name {@code ascii} (lower-case, no wildcard prefix) is special, if it is. */
    public static Optional<String> whyNameIsSpecial(String ascii) {
        if (SpecialPurposeAddresses.isMetadataName(new Host.DomainHost(ascii))) {
            return Optional.of(ascii + " is a cloud metadata service name");
        }
        if (ascii.equals("localhost") || ascii.endsWith(".localhost")) {
            // RFC 6761 section 6.3: resolvers answer loopback for these without asking DNS.
            return Optional.of(ascii + " resolves to loopback (RFC 6761)");
        }
        return Optional.empty();
    }

    /** Why reaching {@code host} (a destination the enforcer saw) is special, if it is. */
    public static Optional<String> whyHostIsSpecial(Host host) {
        if (host instanceof Host.AddressHost address) {
            return SpecialPurposeAddresses.classify(address.address())
                    .map(r -> address.address().toCanonicalString() + " is in " + r.cidr() + " (" + r.name() + ")");
        }
        return whyNameIsSpecial(((Host.DomainHost) host).ascii());
    }
}
