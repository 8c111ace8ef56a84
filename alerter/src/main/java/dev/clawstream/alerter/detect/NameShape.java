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

    /** The longest run of a label between hyphens: encoders that use base64url put '-' in the data too. */
    static String longestRun(String label) {
        String best = "";
        for (String run : label.split("-")) {
            if (run.length() > best.length()) {
                best = run;
            }
        }
        return best;
    }

    /**
     * Why a label looks like carried data, or empty. {@code minEncoded} is the shortest run judged
     * (short ids like CloudFront's {@code d111111abcdef8} are hex-looking too), {@code maxLength} the
     * length past which any label is suspect, {@code minEntropy} the bits per character of a dense run.
     */
    public static Optional<String> encodedLabel(String label, int maxLength, int minEncoded, double minEntropy) {
        if (label.length() >= maxLength) {
            return Optional.of("label of " + label.length() + " characters");
        }
        if (label.length() < minEncoded) {
            return Optional.empty();
        }
        String run = label.replace('_', '-');
        int digits = digits(label);
        if (digits == 0) {
            // Words: even a long hyphenated service name has no digits; an encoder's output almost always does.
            return Optional.empty();
        }
        String longest = longestRun(run);
        if (longest.length() >= minEncoded && isHex(longest) && digits >= longest.length() / 5) {
            return Optional.of("hex-looking label " + abbreviate(label));
        }
        if (longest.length() >= minEncoded && isBase32(longest) && digits >= 2 && entropy(longest) >= minEntropy - 0.5) {
            return Optional.of("base32-looking label " + abbreviate(label));
        }
        double e = entropy(label);
        if (e >= minEntropy && digits >= 3) {
            return Optional.of(String.format("high-entropy label (%.2f bits/char) %s", e, abbreviate(label)));
        }
        return Optional.empty();
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }
}
