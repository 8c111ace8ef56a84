package dev.clawstream.enforcer.wpc;

import java.util.regex.Pattern;

/**
 * Where a value sits in a document, written two ways: as a JSON path for people ({@code $.deny.ip_cidrs[0]})
 * and as an RFC 6901 pointer for machines ({@code /deny/ip_cidrs/0}, the matched rule of a decision).
 */
record JsonPath(String path, String pointer) {

    static final JsonPath ROOT = new JsonPath("$", "");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    JsonPath field(String name) {
        String step = IDENTIFIER.matcher(name).matches()
                ? "." + name
                : "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
        // RFC 6901 section 3: '~' is written ~0 and '/' is written ~1, in that order.
        return new JsonPath(path + step, pointer + "/" + name.replace("~", "~0").replace("/", "~1"));
    }

    JsonPath index(int i) {
        return new JsonPath(path + "[" + i + "]", pointer + "/" + i);
    }
}
