package dev.clawstream.alerter.eval;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Attack names, generated independently of the detectors' own tables: the typosquatting families of
 * dnstwist and URLCrazy (omission, insertion, repetition, transposition, keyboard slips, vowel swaps,
 * hyphenation, bit flips, TLD swaps, added words, homoglyphs — Unicode ones from UTS #39's confusables),
 * and tunnel labels in the encodings of iodine (base32), dnscat2 (hex) and dns2tcp-style base64.
 */
final class Attacks {

    static final List<String> WORDS = List.of("login", "secure", "account", "verify", "update", "support", "cdn",
            "files", "api", "cloud", "portal", "auth", "download", "status", "docs", "billing", "team", "mirror");
    static final List<String> TLDS = List.of("com", "net", "org", "io", "co", "ai", "app", "dev", "xyz", "top", "info",
            "cc", "me", "site", "online");
    /** Keyboard rows for slips (QWERTY). */
    private static final List<String> ROWS = List.of("qwertyuiop", "asdfghjkl", "zxcvbnm");
    /** Latin letters and Cyrillic (or Greek) letters that render the same: a subset of UTS #39 confusables. */
    private static final String LATIN = "aceopxyijs";
    private static final String LOOKALIKE = "асеорхуіјѕ";

    private Attacks() {
    }

    /** One lookalike of {@code domain} ({@code name.suffix}) by the technique numbered {@code technique}. */
    static String squat(Random r, String domain, int technique) {
        int dot = domain.indexOf('.');
        String name = domain.substring(0, dot);
        String suffix = domain.substring(dot + 1);
        int i = r.nextInt(name.length());
        char c = name.charAt(i);
        String out = switch (technique) {
            case 0 -> name.substring(0, i) + name.substring(i + 1);                                   // omission
            case 1 -> name.substring(0, i) + (char) ('a' + r.nextInt(26)) + name.substring(i);        // insertion
            case 2 -> name.substring(0, i) + c + name.substring(i);                                   // repetition
            case 3 -> i + 1 < name.length()                                                           // transposition
                    ? name.substring(0, i) + name.charAt(i + 1) + c + name.substring(i + 2) : name + c;
            case 4 -> name.substring(0, i) + slip(r, c) + name.substring(i + 1);                      // keyboard slip
            case 5 -> vowelSwap(r, name);                                                            // vowel swap
            case 6 -> i > 0 ? name.substring(0, i) + "-" + name.substring(i) : name + "-" + "x";      // hyphenation
            case 7 -> bitFlip(r, name);                                                               // bit flip
            case 8 -> name;                                                                           // TLD swap
            case 9 -> r.nextBoolean() ? name + "-" + WORDS.get(r.nextInt(WORDS.size()))              // added word
                    : WORDS.get(r.nextInt(WORDS.size())) + (r.nextBoolean() ? "-" : "") + name;
            case 10 -> unicode(r, name);                                                              // homoglyph
            default -> throw new IllegalArgumentException("technique " + technique);
        };
        String tld = suffix;
        if (technique == 8) {
            do {
                tld = TLDS.get(r.nextInt(TLDS.size()));
            } while (tld.equals(suffix));
        }
        return out.toLowerCase(Locale.ROOT) + "." + tld;
    }

    static final List<String> TECHNIQUES = List.of("omission", "insertion", "repetition", "transposition",
            "keyboard slip", "vowel swap", "hyphenation", "bit flip", "TLD swap", "added word", "Unicode homoglyph");

    private static char slip(Random r, char c) {
        for (String row : ROWS) {
            int at = row.indexOf(c);
            if (at >= 0) {
                int to = at == 0 ? 1 : at == row.length() - 1 ? at - 1 : at + (r.nextBoolean() ? 1 : -1);
                return row.charAt(to);
            }
        }
        return c == '0' ? '9' : (char) ('a' + r.nextInt(26));
    }

    private static String vowelSwap(Random r, String name) {
        for (int tries = 0; tries < 20; tries++) {
            int i = r.nextInt(name.length());
            if ("aeiou".indexOf(name.charAt(i)) >= 0) {
                char v;
                do {
                    v = "aeiou".charAt(r.nextInt(5));
                } while (v == name.charAt(i));
                return name.substring(0, i) + v + name.substring(i + 1);
            }
        }
        return name + "a";
    }

    private static String bitFlip(Random r, String name) {
        for (int tries = 0; tries < 50; tries++) {
            int i = r.nextInt(name.length());
            char f = (char) (name.charAt(i) ^ (1 << r.nextInt(7)));
            if ((f >= 'a' && f <= 'z') || (f >= '0' && f <= '9')) {
                return name.substring(0, i) + f + name.substring(i + 1);
            }
        }
        return name + "q";
    }

    /** Latin letters swapped for Cyrillic look-alikes, as a browser would show the IDN; in its A-label form. */
    private static String unicode(Random r, String name) {
        StringBuilder b = new StringBuilder(name);
        int swapped = 0;
        for (int tries = 0; tries < 40 && swapped < 1 + r.nextInt(2); tries++) {
            int i = r.nextInt(b.length());
            int k = LATIN.indexOf(b.charAt(i));
            if (k >= 0) {
                b.setCharAt(i, LOOKALIKE.charAt(k));
                swapped++;
            }
        }
        return swapped == 0 ? name + "s" : IDN.toASCII(b.toString());
    }

    /** A tunnel query's subdomain: encoded chunks of random bytes, split at DNS's 63-character label limit. */
    static String tunnelLabels(Random r) {
        byte[] data = new byte[12 + r.nextInt(40)];
        r.nextBytes(data);
        String encoded = switch (r.nextInt(3)) {
            case 0 -> base32(data);
            case 1 -> hex(data);
            default -> java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(data).toLowerCase(Locale.ROOT)
                    .replace('_', '-').replaceAll("^-+|-+$", "x");
        };
        StringBuilder labels = new StringBuilder();
        int chunk = 30 + r.nextInt(34);
        for (int at = 0; at < encoded.length(); at += chunk) {
            if (labels.length() > 0) {
                labels.append('.');
            }
            String part = encoded.substring(at, Math.min(encoded.length(), at + chunk));
            labels.append(part.endsWith("-") ? part.substring(0, part.length() - 1) + "x" : part);
        }
        return labels.toString();
    }

    static String hex(byte[] data) {
        StringBuilder b = new StringBuilder();
        for (byte x : data) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    /** RFC 4648 base32, lower case, no padding. */
    static String base32(byte[] data) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder b = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte x : data) {
            buffer = (buffer << 8) | (x & 0xff);
            bits += 8;
            while (bits >= 5) {
                b.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(alphabet.charAt((buffer << (5 - bits)) & 31));
        }
        return b.toString();
    }

    /** A plausible attacker-registered domain: a word, digits, a cheap or common TLD. */
    static String attackerDomain(Random r) {
        return WORDS.get(r.nextInt(WORDS.size())) + "-" + Integer.toString(r.nextInt(1_000_000), 36) + "."
                + List.of("com", "net", "io", "info", "cc").get(r.nextInt(5));
    }
}
