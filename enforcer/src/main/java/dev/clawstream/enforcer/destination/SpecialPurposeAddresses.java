package dev.clawstream.enforcer.destination;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
        add("cloud-metadata", "169.254.169.254/32");         // AWS, GCP, Azure, OpenStack, ...
        add("cloud-metadata", "169.254.170.2/32");           // AWS ECS task metadata
        add("cloud-metadata", "168.63.129.16/32");           // Azure wire server
        add("cloud-metadata", "100.100.100.200/32");         // Alibaba Cloud
        add("cloud-metadata", "fd00:ec2::254/128");          // AWS IMDS over IPv6
        // IANA IPv4 Special-Purpose Address Registry.
        add("this-network", "0.0.0.0/8");
        add("private-use", "10.0.0.0/8");
        add("shared-address-space (CGNAT)", "100.64.0.0/10");
        add("loopback", "127.0.0.0/8");
        add("link-local", "169.254.0.0/16");
        add("private-use", "172.16.0.0/12");
        add("ietf-protocol-assignments", "192.0.0.0/24");
        add("documentation (TEST-NET-1)", "192.0.2.0/24");
        add("6to4-relay-anycast", "192.88.99.0/24");
        add("private-use", "192.168.0.0/16");
        add("benchmarking", "198.18.0.0/15");
        add("documentation (TEST-NET-2)", "198.51.100.0/24");
        add("documentation (TEST-NET-3)", "203.0.113.0/24");
        add("multicast", "224.0.0.0/4");
        add("reserved", "240.0.0.0/4");
        add("limited-broadcast", "255.255.255.255/32");
        // IANA IPv6 Special-Purpose Address Registry (embedding blocks are decoded instead, below).
        add("unspecified", "::/128");
        add("loopback", "::1/128");
        add("discard-only", "100::/64");
        add("ietf-protocol-assignments", "2001::/23");
        add("documentation", "2001:db8::/32");
        add("documentation", "3fff::/20");
        add("unique-local", "fc00::/7");
        add("link-local", "fe80::/10");
        add("site-local (deprecated)", "fec0::/10");
        add("multicast", "ff00::/8");
    }

    private SpecialPurposeAddresses() {
    }

    /** The special range {@code address} (or an IPv4 address embedded in it) falls in, if any. */
    public static Optional<SpecialRange> classify(IPAddress address) {
        List<IPAddress> views = views(address);
        // Embedded IPv4 first: "cloud-metadata" says more than the IPv6 block that carries it.
        for (int i = views.size() - 1; i >= 0; i--) {
            IPAddress view = views.get(i);
            SpecialRange range = view.isIPv4() ? lookup(V4, view.toIPv4()) : lookup(V6, view.toIPv6());
            if (range != null) {
                return Optional.of(range);
            }
        }
        return Optional.empty();
    }

    /** Whether a name reaches a cloud metadata service by itself (no DNS answer needed to be dangerous). */
    public static boolean isMetadataName(Host.DomainHost host) {
        return METADATA_NAMES.contains(host.ascii().toLowerCase(Locale.ROOT));
    }

    /**
     * The address followed by every IPv4 address an IPv6 address carries: IPv4-mapped ::ffff:0:0/96,
     * IPv4-compatible ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (RFC 6052/8215, last 32 bits),
     * 6to4 2002::/16 (bits 16-47) and Teredo 2001::/32 (client address, last 32 bits inverted).
     * Deny lists are checked against every view, so an IPv6 spelling cannot smuggle a denied IPv4.
     */
    public static List<IPAddress> views(IPAddress address) {
        List<IPAddress> views = new ArrayList<>(3);
        views.add(address);
        if (!address.isIPv6()) {
            return views;
        }
        IPv6Address v6 = address.toIPv6();
        byte[] b = v6.getBytes();
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        if (firstTenZero && b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
            views.add(v4(b, 12, false));                                 // IPv4-mapped
        } else if (firstTenZero && b[10] == 0 && b[11] == 0 && b[12] != 0) {
            // IPv4-compatible; :: and ::1 are the IPv6 unspecified and loopback addresses, not IPv4.
            views.add(v4(b, 12, false));
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
