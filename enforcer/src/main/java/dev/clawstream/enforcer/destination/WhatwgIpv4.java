package dev.clawstream.enforcer.destination;

import java.util.OptionalLong;

/**
 * The WHATWG URL Standard's IPv4 parser (section 3.5), as every browser and fetch() client runs it:
 * 1 to 4 dot-separated parts, each decimal, octal (leading 0) or hex (0x); the last part fills the
 * remaining bytes. So {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} are all
 * 127.0.0.1 — spellings SSRF payloads use to get past filters that only know dotted quads.
 */
final class WhatwgIpv4 {

    private WhatwgIpv4() {
    }

    /** Whether the host's last label is numeric, which makes the whole host an IPv4 address (or invalid). */
    static boolean endsInNumber(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return (last.startsWith("0x") || last.startsWith("0X"))
                && last.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The 32-bit address, or empty when the host is not a valid IPv4 address. */
    static OptionalLong parse(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length > 4) {
            return OptionalLong.empty();
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            OptionalLong n = number(parts[i]);
            if (n.isEmpty()) {
                return OptionalLong.empty();
            }
            numbers[i] = n.getAsLong();
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                return OptionalLong.empty();
            }
        }
        long last = numbers[numbers.length - 1];
        if (last >= (1L << (8 * (5 - numbers.length)))) {
            return OptionalLong.empty();
        }
        long address = last;
        for (int i = 0; i < numbers.length - 1; i++) {
            address += numbers[i] << (8 * (3 - i));
        }
        return OptionalLong.of(address);
    }

    private static OptionalLong number(String part) {
        if (part.isEmpty()) {
            return OptionalLong.empty();
        }
        int radix = 10;
        String digits = part;
        if (part.length() >= 2 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() >= 2 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty()) {
            return OptionalLong.of(0);
        }
        // Longer than any 32-bit value in any radix: refuse before it can overflow.
        if (digits.length() > 32) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (char c : digits.toCharArray()) {
            int d = Character.digit(c, radix);
            if (d < 0) {
                return OptionalLong.empty();
            }
            value = value * radix + d;
            if (value > 0xFFFFFFFFL) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(value);
    }
}
