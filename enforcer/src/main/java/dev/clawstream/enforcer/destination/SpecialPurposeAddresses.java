package dev.clawstream.enforcer.destination;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Addresses an agent should never reach unless a WPC says so explicitly: the IANA IPv4 and IPv6
 * special-purpose registries (RFC 6890 and its updates), cloud metadata endpoints, and every IPv4
 * address embedded in IPv6 (mapped, compatible, NAT64, 6to4, Teredo), decoded and checked as IPv4 —
 * so {@code [::ffff:169.254.169.254]} or {@code [64:ff9b::a9fe:a9fe]} are the metadata service too.
 */
public final class SpecialPurposeAddresses {

    /** A special-purpose block and what it is. */
    public record SpecialRange(String name, String cidr) { }

    private static final IPv4AddressAssociativeTrie<SpecialRange> V4 = new IPv4AddressAssociativeTrie<>();
    private static final IPv6AddressAssociativeTrie<SpecialRange> V6 = new IPv6AddressAssociativeTrie<>();
    /** Names that reach a metadata service from inside the cloud, whatever they resolve to. */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata", "metadata.goog",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");

    static {
        // Cloud metadata first: more specific than their containing blocks, so they are what is reported.
        // These hand out instance credentials: the classic SSRF prize (Capital One, 2019).
        add("cloud-metadata", "169.254.169.254/32");         // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        add("cloud-metadata", "169.254.170.2/32");           // AWS ECS task metadata and credentials
        add("cloud-metadata", "168.63.129.16/32");           // Azure wire server
        add("cloud-metadata", "100.100.100.200/32");         // Alibaba Cloud
        add("cloud-metadata", "192.0.0.192/32");             // Oracle Cloud, legacy (listed by PayloadsAllTheThings)
        add("cloud-metadata", "fd00:ec2::254/128");          // AWS IMDS over IPv6
        // IANA IPv4 Special-Purpose Address Registry (RFC 6890, updated by RFC 8190), plus the
        // multicast block of the IANA IPv4 Multicast Address Space registry (RFC 5771).
        add("this-network", "0.0.0.0/8");                    // RFC 791; 0.0.0.0 reaches local listeners on Linux
        add("private-use", "10.0.0.0/8");                    // RFC 1918
        add("shared-address-space (CGNAT)", "100.64.0.0/10"); // RFC 6598
        add("loopback", "127.0.0.0/8");                      // RFC 1122
        add("link-local", "169.254.0.0/16");                 // RFC 3927
        add("private-use", "172.16.0.0/12");                 // RFC 1918
        add("ietf-protocol-assignments", "192.0.0.0/24");    // RFC 6890 (DS-Lite, NAT64 discovery, PCP, TURN ...)
        add("documentation (TEST-NET-1)", "192.0.2.0/24");   // RFC 5737
        add("as112-v4", "192.31.196.0/24");                  // RFC 7535
        add("amt", "192.52.193.0/24");                       // RFC 7450
        add("6to4-relay-anycast (deprecated)", "192.88.99.0/24"); // RFC 7526
        add("private-use", "192.168.0.0/16");                // RFC 1918
        add("direct-delegation-as112", "192.175.48.0/24");   // RFC 7534
        add("benchmarking", "198.18.0.0/15");                // RFC 2544
        add("documentation (TEST-NET-2)", "198.51.100.0/24"); // RFC 5737
        add("documentation (TEST-NET-3)", "203.0.113.0/24"); // RFC 5737
        add("multicast", "224.0.0.0/4");                     // RFC 5771
        add("reserved", "240.0.0.0/4");                      // RFC 1112
        add("limited-broadcast", "255.255.255.255/32");      // RFC 919
        // IANA IPv6 Special-Purpose Address Registry (RFC 6890 and updates). The blocks that embed an
        // IPv4 address (::ffff:0:0/96, 64:ff9b::/96, 2002::/16, Teredo) are decoded in views() instead,
        // so a public IPv4 address they carry is judged as that address.
        add("unspecified", "::/128");                        // RFC 4291
        add("loopback", "::1/128");                          // RFC 4291
        add("nat64-local-use", "64:ff9b:1::/48");            // RFC 8215: not globally reachable
        add("discard-only", "100::/64");                     // RFC 6666
        add("dummy-prefix", "100:0:0:1::/64");               // IANA registry: dummy IPv6 prefix
        add("ietf-protocol-assignments", "2001::/23");       // RFC 2928 (Teredo, PCP, TURN, AMT, ORCHID ...)
        add("benchmarking", "2001:2::/48");                  // RFC 5180
        add("documentation", "2001:db8::/32");               // RFC 3849
        add("as112-v6", "2620:4f:8000::/48");                // RFC 7534
        add("documentation", "3fff::/20");                   // RFC 9637
        add("srv6-sids", "5f00::/16");                       // RFC 9602
        add("unique-local", "fc00::/7");                     // RFC 4193
        add("link-local", "fe80::/10");                      // RFC 4291
        add("site-local (deprecated)", "fec0::/10");         // RFC 3879
        add("multicast", "ff00::/8");                        // RFC 4291
    }

    private SpecialPurposeAddresses() {
    }

    /**
     * The special range {@code address} falls in, if any. An IPv4 address embedded in an IPv6 one is
     * judged first: "cloud-metadata" for {@code [::ffff:169.254.169.254]} says more than the IPv6 block.
     */
    public static Optional<SpecialRange> classify(IPAddress address) {
        List<IPAddress> views = views(address);
        for (int i = 1; i <= views.size(); i++) {
            IPAddress view = views.get(i % views.size());
            SpecialRange range = view.isIPv4() ? lookup(V4, view.toIPv4()) : lookup(V6, view.toIPv6());
            if (range != null) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /**
     * Every special range that shares an address with {@code block}, in either direction: a WPC rule
     * allowing {@code 0.0.0.0/0} or {@code 169.254.0.0/16} or {@code 169.254.169.254/32} opens the
     * metadata service all the same. An IPv6 block that overlaps a prefix embedding IPv4 (mapped,
     * compatible, NAT64, 6to4, Teredo) is reported too, as it reaches IPv4 special ranges through it.
     */
    public static List<SpecialRange> overlapping(IPAddress block) {
        List<SpecialRange> found = new ArrayList<>();
        if (block.isIPv4()) {
            V4.nodeIterator(true).forEachRemaining(node -> {
                if (overlaps(block, node.getKey())) {
                    found.add(node.getValue());
                }
            });
        } else {
            V6.nodeIterator(true).forEachRemaining(node -> {
                if (overlaps(block, node.getKey())) {
                    found.add(node.getValue());
                }
            });
            for (String embedding : List.of("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96", "2002::/16",
                    "2001::/32")) {
                IPAddress prefix = new IPAddressString(embedding).getAddress();
                if (overlaps(block, prefix)) {
                    found.add(new SpecialRange("embeds IPv4 addresses", embedding));
                }
            }
        }
        return found;
    }

    private static boolean overlaps(IPAddress a, IPAddress b) {
        return a.contains(b) || b.contains(a);
    }

    /** Whether a name reaches a cloud metadata service by itself (no DNS answer needed to be dangerous). */
    public static boolean isMetadataName(Host.DomainHost host) {
        // A DomainHost is canonical (lower case, no trailing dot): "METADATA.google.internal." arrives as this.
        return METADATA_NAMES.contains(host.ascii());
    }

    /**
     * The address followed by every IPv4 address an IPv6 address carries: IPv4-mapped ::ffff:0:0/96 and
     * IPv4-translated ::ffff:0:0:0/96 (RFC 4291, RFC 2765), IPv4-compatible ::/96 (deprecated, RFC 4291),
     * NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052/8215, last 32 bits), 6to4 2002::/16 (bits 16-47,
     * RFC 3056) and Teredo 2001::/32 (client address in the last 32 bits inverted, then the server in
     * bits 32-63, RFC 4380). Deny lists are checked against every view, so an IPv6 spelling cannot
     * smuggle a denied IPv4 address past them: clients and kernels connect to the embedded address.
     */
    public static List<IPAddress> views(IPAddress address) {
        List<IPAddress> views = new ArrayList<>(3);
        views.add(address);
        if (!address.isIPv6()) {
            return views;
        }
        byte[] b = address.toIPv6().getBytes();
        boolean firstEightZero = u16(b, 0) == 0 && u16(b, 2) == 0 && u16(b, 4) == 0 && u16(b, 6) == 0;
        if (firstEightZero && u16(b, 8) == 0 && (u16(b, 10) == 0xffff || u16(b, 10) == 0)) {
            // Mapped and compatible; :: and ::1 stay the IPv6 unspecified and loopback addresses.
            boolean unspecifiedOrLoopback = u16(b, 10) == 0 && u16(b, 12) == 0 && u16(b, 14) <= 1;
            if (!unspecifiedOrLoopback) {
                views.add(v4(b, 12, false));
            }
        } else if (firstEightZero && u16(b, 8) == 0xffff && u16(b, 10) == 0) {
            views.add(v4(b, 12, false));                                 // IPv4-translated (SIIT)
        } else if (u16(b, 0) == 0x0064 && u16(b, 2) == 0xff9b && (u16(b, 4) == 0 || u16(b, 4) == 1)) {
            views.add(v4(b, 12, false));                                 // NAT64 well-known and local-use
        } else if (u16(b, 0) == 0x2002) {
            views.add(v4(b, 2, false));                                  // 6to4
        } else if (u16(b, 0) == 0x2001 && u16(b, 2) == 0x0000) {
            views.add(v4(b, 12, true));                                  // Teredo client
            views.add(v4(b, 4, false));                                  // Teredo server
        }
        return views;
    }

    private static IPv4Address v4(byte[] b, int offset, boolean inverted) {
        byte[] four = new byte[4];
        for (int i = 0; i < 4; i++) {
            four[i] = inverted ? (byte) ~b[offset + i] : b[offset + i];
        }
        return new IPv4Address(four);
    }

    private static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xff) << 8) | (b[offset + 1] & 0xff);
    }

    private static <A extends IPAddress> SpecialRange lookup(
            inet.ipaddr.format.util.AssociativeAddressTrie<A, SpecialRange> trie, A address) {
        var node = trie.longestPrefixMatchNode(address);
        return node == null ? null : node.getValue();
    }

    private static void add(String name, String cidr) {
        IPAddress block = new IPAddressString(cidr).getAddress().toPrefixBlock();
        SpecialRange range = new SpecialRange(name, cidr);
        if (block.isIPv4()) {
            V4.put(block.toIPv4(), range);
        } else {
            V6.put(block.toIPv6(), range);
        }
    }
}
