package dev.clawstream.enforcer.destination;

import com.ibm.icu.text.IDNA;
import dev.clawstream.enforcer.destination.Host.AddressHost;
import dev.clawstream.enforcer.destination.Host.DomainHost;
import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.Unparseable;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns what a sidecar reported (a URL, or a host and port) into the destination a WHATWG-URL client
 * (browsers, fetch, most HTTP libraries) would actually connect to, or says why it cannot.
 *
 * <p>Where common clients disagree about a URL — backslashes, several {@code @}, slashes after the
 * scheme, control characters, IPv6 zone ids — the answer is AMBIGUOUS, and the policy denies it:
 * a filter that guesses one reading while the client takes another is how SSRF filters get bypassed
 * (Orange Tsai, "A New Era of SSRF", Black Hat USA 2017). No host is ever resolved here, and neither
 * {@code java.net.URL} nor {@code InetAddress} is used: both read hosts differently from browsers.
 */
public final class DestinationParser {

    private static final Map<String, Integer> DEFAULT_PORTS =
            Map.of("http", 80, "https", 443, "ws", 80, "wss", 443, "ftp", 21);
    private static final int MAX_INPUT = 8192;
    /** %2e . %40 @ %3a : %2f / %5c \ : escaped separators move the host boundary for clients that decode. */
    private static final java.util.regex.Pattern ESCAPED_SEPARATOR =
            java.util.regex.Pattern.compile("%(2[eEfF]|40|3[aA]|5[cC])");
    private static final int MAX_PORT = 65535;
    // UTS #46 as the URL Standard applies it: nontransitional, with the bidi and joiner checks.
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ);
    /**
     * The URL Standard runs UTS #46 with CheckHyphens and VerifyDnsLength off, so browsers accept
     * "a-.example" and over-long labels; ICU always reports them. Empty labels are judged below.
     */
    private static final Set<IDNA.Error> NOT_CHECKED_BY_URL_STANDARD = EnumSet.of(IDNA.Error.EMPTY_LABEL,
            IDNA.Error.LABEL_TOO_LONG, IDNA.Error.DOMAIN_NAME_TOO_LONG, IDNA.Error.LEADING_HYPHEN,
            IDNA.Error.TRAILING_HYPHEN, IDNA.Error.HYPHEN_3_4);
    private static final IPAddressStringParameters IPV6_ONLY = new IPAddressStringParameters.Builder()
            .allowIPv4(false).allowEmpty(false).allowMask(false).allowPrefix(false).allowSingleSegment(false)
            .allowWildcardedSeparator(false).setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
            .getIPv6AddressParametersBuilder().allowZone(false).allowBinary(false).getParentBuilder()
            .toParams();

    /**
     * A resolver's answer is a plain address: dotted-quad IPv4 without leading zeros or IPv6 without a
     * zone. Anything else ({@code 0x7f.1}) is not what a resolver writes, so it is refused, not guessed.
     */
    private static final IPAddressStringParameters RESOLVED_IP = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowMask(false).allowPrefix(false).allowSingleSegment(false)
            .allowWildcardedSeparator(false).setRangeOptions(IPAddressStringParameters.RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).allowLeadingZeros(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false).allowBinary(false).getParentBuilder()
            .toParams();

    private DestinationParser() {
    }

    /** Parses a URL as an egress proxy or sidecar logged it. */
    public static ParsedDestination parseUrl(String url) {
        if (url == null || url.isEmpty()) {
            return invalid("empty URL");
        }
        if (url.length() > MAX_INPUT) {
            return invalid("URL longer than " + MAX_INPUT + " characters");
        }
        int authorityEnd = authorityEnd(url);
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            // Browsers strip tabs and newlines anywhere and trim spaces and controls at the ends; curl and
            // Go refuse them; raw CR/LF in a path is header injection (a Host: line) for naive clients.
            // A space after the host is percent-encoded by browsers and moves no host boundary.
            if (c < 0x20 || c == 0x7f || (c == ' ' && i < authorityEnd)) {
                return ambiguous(String.format("control or space character U+%04X at %d", (int) c, i));
            }
        }
        int colon = url.indexOf(':');
        if (colon <= 0 || !isScheme(url, colon)) {
            return invalid("no scheme (expected e.g. https://host/)");
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        Integer defaultPort = DEFAULT_PORTS.get(scheme);
        if (defaultPort == null) {
            return invalid("unsupported scheme '" + scheme + "' (http, https, ws, wss, ftp)");
        }
        String rest = url.substring(colon + 1);
        if (!rest.startsWith("//")) {
            // "http:/evil.com" and "http:evil.com" are URLs to browsers and paths to others.
            return ambiguous("scheme not followed by '//'");
        }
        rest = rest.substring(2);
        if (rest.startsWith("/") || rest.startsWith("\\")) {
            // Browsers skip any number of slashes ("https:///evil.com" is evil.com); other clients see no host.
            return ambiguous("more than two slashes after the scheme");
        }
        int end = firstOf(rest, "/?#");
        String authority = end < 0 ? rest : rest.substring(0, end);
        int backslash = rest.indexOf('\\');
        if (backslash >= 0 && (end < 0 || backslash < end)) {
            // Browsers end the host at '\' in special URLs; curl and RFC 3986 parsers (urllib3) keep it in
            // the authority, so https://api.openai.com\@evil.com/ is api.openai.com to one, evil.com to another.
            return ambiguous("backslash in the authority");
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            if (authority.indexOf('@') != at) {
                return ambiguous("more than one '@' in the authority");
            }
            // Userinfo is never part of the host: https://api.openai.com@evil.com/ goes to evil.com.
            authority = authority.substring(at + 1);
        }
        return hostAndPort(scheme, defaultPort, authority);
    }

    /**
     * Parses a host (name, IPv4 in any WHATWG spelling, IPv6 with or without brackets) and port, as
     * reported for non-URL traffic (CONNECT, SNI, raw TCP).
     *
     * @param port   the port, or null for the scheme's default
     * @param scheme the scheme if known; without one, port 80 means http and anything else https
     */
    public static ParsedDestination parseHostPort(String host, Integer port, String scheme) {
        if (host == null || host.isEmpty()) {
            return invalid("empty host");
        }
        String s = scheme != null ? scheme.toLowerCase(Locale.ROOT) : (port != null && port == 80 ? "http" : "https");
        Integer defaultPort = DEFAULT_PORTS.get(s);
        if (defaultPort == null) {
            return invalid("unsupported scheme '" + s + "'");
        }
        if (port != null && (port < 0 || port > MAX_PORT)) {
            return invalid("port " + port + " out of range 0-" + MAX_PORT);
        }
        // One colon is "name:port" (an Envoy :authority, a CONNECT target); an IPv6 address has at least two.
        long colons = host.chars().filter(c -> c == ':').count();
        boolean hostHasPort = host.startsWith("[") ? host.indexOf("]:") > 0 : colons == 1;
        String authority = colons >= 2 && !host.startsWith("[") ? "[" + host + "]" : host;
        ParsedDestination parsed = hostAndPort(s, defaultPort, authority);
        if (parsed instanceof EgressDestination d && port != null) {
            if (hostHasPort && d.port() != port) {
                return ambiguous("host names port " + d.port() + " but the event says " + port);
            }
            return new EgressDestination(d.scheme(), d.host(), port, d.schemeDefaultPort());
        }
        return parsed;
    }

    /** Parses a bare IP address as reported for the resolved address: no names, no odd spellings. */
    public static IPAddress parseResolvedIp(String ip) throws AddressStringException {
        IPAddress address = new IPAddressString(ip, RESOLVED_IP).toAddress();
        if (address == null) {
            throw new AddressStringException("empty address");
        }
        return address;
    }

    private static ParsedDestination hostAndPort(String scheme, int defaultPort, String authority) {
        String hostPart;
        String portPart = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return invalid("unterminated IPv6 literal");
            }
            hostPart = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return invalid("unexpected '" + after + "' after IPv6 literal");
                }
                portPart = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            hostPart = colon < 0 ? authority : authority.substring(0, colon);
            portPart = colon < 0 ? null : authority.substring(colon + 1);
        }
        int port = defaultPort;
        if (portPart != null && !portPart.isEmpty()) {
            if (!portPart.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return invalid("port '" + portPart + "' is not a number");
            }
            // The URL Standard allows any number of leading zeros (":00000000000000000000080" is 80).
            int zeros = 0;
            while (zeros < portPart.length() - 1 && portPart.charAt(zeros) == '0') {
                zeros++;
            }
            String digits = portPart.substring(zeros);
            if (digits.length() > 5) {
                return invalid("port " + portPart + " out of range 0-" + MAX_PORT);
            }
            long p = Long.parseLong(digits);
            if (p > MAX_PORT) {
                return invalid("port " + p + " out of range 0-" + MAX_PORT);
            }
            port = (int) p;
        }
        HostResult host = host(hostPart);
        if (host instanceof HostResult.Failed failed) {
            return failed.why();
        }
        return new EgressDestination(scheme, ((HostResult.Parsed) host).host(), port, defaultPort);
    }

    /** A host, or why there is none; the port is attached afterwards. */
    private sealed interface HostResult {
        record Parsed(Host host) implements HostResult { }

        record Failed(Unparseable why) implements HostResult { }
    }

    private static HostResult host(String raw) {
        if (raw.isEmpty()) {
            return new HostResult.Failed(invalid("empty host"));
        }
        if (raw.startsWith("[")) {
            if (!raw.endsWith("]")) {
                return new HostResult.Failed(invalid("unterminated IPv6 literal"));
            }
            String inner = raw.substring(1, raw.length() - 1);
            if (inner.indexOf('%') >= 0) {
                // Zone ids are refused by the URL Standard and accepted by curl and others.
                return new HostResult.Failed(ambiguous("IPv6 zone id in '" + raw
                        + "': refused by the URL Standard, taken by curl; it names an interface of the sender"));
            }
            try {
                IPAddress address = new IPAddressString(inner, IPV6_ONLY).toAddress();
                return new HostResult.Parsed(new AddressHost(address));
            } catch (AddressStringException e) {
                return new HostResult.Failed(invalid("bad IPv6 literal '" + raw + "': " + e.getMessage()));
            }
        }
        String decoded;
        try {
            decoded = percentDecode(raw);
        } catch (CharacterCodingException e) {
            return new HostResult.Failed(invalid("percent-encoding in the host is not UTF-8"));
        }
        if (raw.indexOf('%') >= 0 && ESCAPED_SEPARATOR.matcher(raw).find()) {
            // An escaped separator means a different host to clients that decode and those that do not.
            return new HostResult.Failed(ambiguous("percent-encoded separator in host '" + raw + "'"));
        }
        String ascii;
        if (isPlainAsciiName(decoded)) {
            // Letters, digits, '-' and '.' without punycode: UTS #46 would only lower-case it.
            ascii = decoded.toLowerCase(Locale.ROOT);
        } else {
            IDNA.Info info = new IDNA.Info();
            ascii = UTS46.nameToASCII(decoded, new StringBuilder(), info).toString();
            Set<IDNA.Error> errors = EnumSet.noneOf(IDNA.Error.class);
            errors.addAll(info.getErrors());
            errors.removeAll(NOT_CHECKED_BY_URL_STANDARD);
            if (!errors.isEmpty()) {
                return new HostResult.Failed(invalid("host '" + raw + "' fails IDNA (UTS #46): " + errors));
            }
        }
        for (int i = 0; i < ascii.length(); i++) {
            char c = ascii.charAt(i);
            if (c <= 0x20 || c == 0x7f || " #%/:<>?@[\\]^|".indexOf(c) >= 0) {
                return new HostResult.Failed(invalid(String.format("forbidden character '%c' in host '%s'", c, raw)));
            }
        }
        if (ascii.isEmpty()) {
            return new HostResult.Failed(invalid("empty host"));
        }
        if (WhatwgIpv4.endsInNumber(ascii)) {
            OptionalLong v4 = WhatwgIpv4.parse(ascii);
            if (v4.isEmpty()) {
                return new HostResult.Failed(invalid("host '" + raw + "' ends in a number but is not an IPv4 address"));
            }
            return new HostResult.Parsed(new AddressHost(new IPv4Address((int) v4.getAsLong())));
        }
        String name = ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        if (name.isEmpty() || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            // Browsers keep empty labels in the host; resolvers refuse them.
            return new HostResult.Failed(ambiguous("empty label in host '" + raw + "'"));
        }
        return new HostResult.Parsed(new DomainHost(name));
    }

    private static String percentDecode(String s) throws CharacterCodingException {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 3;
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    encoded = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
                i++;
            }
        }
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    }

    /** RFC 3986 scheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
    private static boolean isScheme(String url, int end) {
        for (int i = 0; i < end; i++) {
            char c = url.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
                return false;
            }
        }
        return true;
    }

    /** A host ICU would only lower-case: ASCII letters, digits, '-' and '.', and no "xn--" label to validate. */
    private static boolean isPlainAsciiName(String host) {
        boolean labelStart = true;
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (labelStart && (c == 'x' || c == 'X') && host.regionMatches(true, i, "xn--", 0, 4)) {
                return false;
            }
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok) {
                return false;
            }
            labelStart = c == '.';
        }
        return true;
    }

    /** Index just past the authority of "scheme://authority", or 0 when there is none to find. */
    private static int authorityEnd(String url) {
        int slashes = url.indexOf("//");
        if (slashes < 0) {
            return 0;
        }
        for (int i = slashes + 2; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return url.length();
    }

    private static int firstOf(String s, String chars) {
        int best = -1;
        for (char c : chars.toCharArray()) {
            int i = s.indexOf(c);
            if (i >= 0 && (best < 0 || i < best)) {
                best = i;
            }
        }
        return best;
    }

    private static Unparseable invalid(String reason) {
        return new Unparseable(Unparseable.Kind.INVALID, reason);
    }

    private static Unparseable ambiguous(String reason) {
        return new Unparseable(Unparseable.Kind.AMBIGUOUS, reason);
    }
}
