package dev.clawstream.enforcer.wpc;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A host name pattern, syntactically checked: an exact name ({@code api.openai.com}) or a leading
 * wildcard ({@code *.openrouter.ai}, every depth of subdomain but not the apex). IDNA mapping of Unicode
 * names is the policy compiler's job (with the destination parser), so {@code name} is only lower-cased.
 *
 * @param raw      the pattern exactly as written in the document
 * @param wildcard whether it began with {@code *.}
 * @param name     the lower-cased name, without the {@code *.} of a wildcard
 */
public record DomainPattern(String raw, boolean wildcard, String name) {

    private static final String WILDCARD_PREFIX = "*.";
    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 253;
    // WHATWG URL: a host whose last label is a number (decimal or 0x hex) is parsed as an IPv4 address.
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");

    public DomainPattern {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(name, "name");
    }

    /** Checks {@code raw} and builds the pattern, or says what is wrong with it. */
    public static Checked<DomainPattern> parse(String raw) {
        if (raw.isEmpty()) {
            return Checked.problem("empty pattern");
        }
        if (raw.chars().anyMatch(Character::isWhitespace)) {
            return Checked.problem("whitespace in pattern \"" + raw + "\"");
        }
        if (raw.contains("://")) {
            return Checked.problem("\"" + raw + "\" is a URL; a pattern is a host name, without scheme");
        }
        if (raw.indexOf('/') >= 0 || raw.indexOf('\\') >= 0) {
            return Checked.problem("\"" + raw + "\" has a path; a pattern is a host name only");
        }
        if (raw.indexOf('@') >= 0) {
            return Checked.problem("\"" + raw + "\" has userinfo (@); a pattern is a host name only");
        }
        if (raw.indexOf(':') >= 0) {
            return Checked.problem("':' in \"" + raw + "\": ports go in \"ports\", IPv6 addresses in ip_cidrs");
        }
        if (raw.equals("*")) {
            return Checked.problem("a bare * would allow every host; list the hosts instead");
        }
        boolean wildcard = raw.startsWith(WILDCARD_PREFIX);
        String name = (wildcard ? raw.substring(WILDCARD_PREFIX.length()) : raw).toLowerCase(Locale.ROOT);
        if (name.indexOf('*') >= 0) {
            return Checked.problem("wildcard in \"" + raw + "\" is allowed only as a leading \"*.\" (*.example.com)");
        }
        String problem = nameProblem(raw, name);
        if (problem != null) {
            return Checked.problem(problem);
        }
        if (wildcard && name.indexOf('.') < 0) {
            return Checked.problem("\"" + raw + "\" would allow a whole top-level domain");
        }
        return Checked.ok(new DomainPattern(raw, wildcard, name));
    }

    private static String nameProblem(String raw, String name) {
        if (name.length() > MAX_NAME) {
            return "\"" + raw + "\" is longer than " + MAX_NAME + " characters";
        }
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                return "empty label in \"" + raw + "\" (leading, trailing or doubled dot)";
            }
            if (label.length() > MAX_LABEL) {
                return "label \"" + label + "\" is longer than " + MAX_LABEL + " characters";
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                // Non-ASCII is left to IDNA in the compiler; ASCII beyond LDH (and '_', seen in real
                // service names) is never part of a host a client would send.
                if (c < 0x80 && !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                    return "character '" + c + "' is not allowed in a host name (\"" + raw + "\")";
                }
            }
        }
        if (NUMERIC_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return "\"" + raw + "\" ends in a numeric label, which URL parsers read as an IPv4 address;"
                    + " put addresses in ip_cidrs";
        }
        return null;
    }
}
