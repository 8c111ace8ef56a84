package dev.clawstream.enforcer.wpc;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One {@code allow.ip_cidrs} or {@code deny.ip_cidrs} entry.
 *
 * @param raw     the CIDR exactly as written
 * @param block   the prefix block (a bare address is a block of one)
 * @param pointer RFC 6901 pointer of the entry, e.g. {@code /deny/ip_cidrs/0}
 * @param requiresAttestation an allow rule that exists only for jobs whose token carries this attestation
 */
public record CidrRule(String raw, IPAddress block, Ports ports, String pointer, Optional<String> requiresAttestation) {

    // Only plain dotted-quad IPv4 and hex-colon IPv6 text: inet_aton forms (10.1, 0x0a.0.0.1), octal-looking
    // octets and zone ids mean different addresses to different parsers, which a policy must never do.
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV4_LOOSE = Pattern.compile("[0-9]+(\\.[0-9]+){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern PREFIX = Pattern.compile("0|[1-9][0-9]{0,2}");

    public CidrRule {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(requiresAttestation, "requiresAttestation");
    }

    public CidrRule(String raw, IPAddress block, Ports ports, String pointer) {
        this(raw, block, ports, pointer, Optional.empty());
    }

    /** Parses {@code 203.0.113.0/24}, {@code 2001:db8::/32} or a bare address into a prefix block. */
    public static Checked<IPAddress> parseBlock(String raw) {
        int slash = raw.indexOf('/');
        String address = slash < 0 ? raw : raw.substring(0, slash);
        boolean v4 = IPV4.matcher(address).matches();
        if (!v4 && IPV4_LOOSE.matcher(address).matches()) {
            return Checked.problem("\"" + address + "\": octets are 0-255 without leading zeros"
                    + " (some parsers read 010 as octal)");
        }
        if (!v4 && !IPV6.matcher(address).matches()) {
            return Checked.problem("\"" + raw + "\" is not an IPv4 or IPv6 CIDR");
        }
        IPAddress parsed = new IPAddressString(address).getAddress();
        if (parsed == null || parsed.isPrefixed()) {
            return Checked.problem("\"" + address + "\" is not a valid IP" + (v4 ? "v4" : "v6") + " address");
        }
        int bits = parsed.getBitCount();
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = raw.substring(slash + 1);
            if (!PREFIX.matcher(prefixText).matches()) {
                return Checked.problem("prefix length \"" + prefixText + "\" is not a decimal number");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > bits) {
                return Checked.problem("prefix length " + prefix + " > " + bits);
            }
        }
        IPAddress block = parsed.toPrefixBlock(prefix);
        if (!block.getLower().withoutPrefixLength().equals(parsed)) {
            return Checked.problem("host bits set in " + raw + "; the block is "
                    + block.getLower().withoutPrefixLength() + "/" + prefix);
        }
        return Checked.ok(block);
    }
}
