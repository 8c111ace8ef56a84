package dev.clawstream.alerter.detect;

import java.util.Optional;

/**
 * What a DNS label looks like to a tunnel hunter. Tunnels (iodine, dnscat2, dns2tcp, DNSExfiltrator)
 * carry data in subdomain labels, encoded so it survives case-insensitive DNS: base32 (iodine, many
 * exfiltration kits), hex (dnscat2) or base64 variants; the labels come out long, dense in digits and
 * close to the maximum entropy of their alphabet. Ordinary names are words, short ids and hyphens.
 */
public final class NameShape {

    private NameShape() {
    }

    /** Shannon entropy in bits per character. */
    public static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int[] counts = new int[128];
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 128) {
                counts[c]++;
            } else {
                other++;
            }
        }
        double bits = 0;
        double n = s.length();
        for (int c : counts) {
            if (c > 0) {
                double p = c / n;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        if (other > 0) {
            double p = other / n;
            bits -= p * Math.log(p) / Math.log(2);
        }
        return bits;
    }

    static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                n++;
            }
        }
        return n;
    }

    static boolean isHex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    static boolean isBase32(String s) {
        return s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'));
    }

    /**
     * Why a label looks like carried data, or empty. {@code maxLength} is the length past which any label
     * is suspect; shorter labels are judged with their hyphens and underscores taken out (base64url puts
     * them in the data) once at least {@code minEncoded} characters remain: all hex with digits and
     * letters, or dense ({@code minEntropy} bits per character) with the marks of an encoder rather than
     * a word — digits, or a share of vowels far below any language's (a quarter of the letters; random
     * letters have a fifth).
     */
    public static Optional<String> encodedLabel(String label, int maxLength, int minEncoded, double minEntropy) {
        if (label.startsWith("xn--")) {
            // An internationalised name: its A-label is dense by construction, and it is a name.
            return Optional.empty();
        }
        if (label.length() >= maxLength) {
            return Optional.of("label of " + label.length() + " characters");
        }
        String data = label.replace("-", "").replace("_", "");
        if (data.length() < minEncoded) {
            return Optional.empty();
        }
        int digits = digits(data);
        int letters = data.length() - digits;
        if (isHex(data) && digits > 0 && letters > 0) {
            return Optional.of("hex-looking label " + abbreviate(label));
        }
        double e = entropy(data);
        if (e >= minEntropy && (digits >= 2 || vowels(data) * 4 < letters)) {
            return Optional.of(String.format("%s label (%.2f bits/char) %s", isBase32(data) ? "base32-looking"
                    : "encoded-looking", e, abbreviate(label)));
        }
        return Optional.empty();
    }

    static int vowels(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if ("aeiou".indexOf(s.charAt(i)) >= 0) {
                n++;
            }
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }
}
