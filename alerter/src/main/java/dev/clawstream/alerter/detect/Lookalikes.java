package dev.clawstream.alerter.detect;

import com.ibm.icu.text.IDNA;
import com.ibm.icu.text.SpoofChecker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Near misses of protected domains, the way typosquatters register them: compared at the level a
 * registrar sells ({@link DomainName#registryDomain()}), so {@code githubusercontent.com} is one name
 * even though the Public Suffix List's private section lists it as a suffix. Built once from
 * the protected list (immutable, shareable): every variant the classic fuzzers generate (omission,
 * insertion and replacement by keyboard neighbour, repetition, transposition, vowel swap, hyphenation,
 * bit flips, ASCII homoglyphs such as 1 for i, appended characters, added words, TLD swap) is indexed up front, so a lookup is a hash
 * probe; on a miss, three generic checks follow: one edit (Damerau-Levenshtein) from a protected name
 * under the same suffix, a protected name as one hyphen-separated part, and the same UTS #39 confusable
 * skeleton (ICU's SpoofChecker: {@code аpple} in Cyrillic, {@code rn} for {@code m}, {@code 0} for {@code o}).
 */
public final class Lookalikes {

    /** The protected names judged with the broad checks must be this long: {@code x.ai} has too many neighbours. */
    static final int MIN_NAME_FOR_VARIANTS = 4;
    static final int MIN_NAME_FOR_EDIT_DISTANCE = 5;

    /** Words squatters bolt onto brands (dnstwist's dictionary idea; ours is built from phishing kits' favourites). */
    static final List<String> WORDS = List.of("login", "signin", "secure", "security", "account", "accounts", "auth",
            "verify", "support", "help", "update", "updates", "download", "downloads", "cdn", "api", "apis", "app",
            "apps", "cloud", "dev", "docs", "status", "mail", "web", "portal", "billing", "pay", "payment", "team",
            "admin", "files", "static", "assets", "registry", "pkg", "packages", "mirror", "proxy", "gateway",
            "platform", "online", "service", "services", "global", "official", "hub", "ai", "llm", "chat", "gpt",
            "models", "token", "tokens", "keys", "oauth", "sso", "usercontent", "content", "storage", "data", "free");

    /** TLDs a swap is judged against: common generic ones and the cheap ones squatters favour. */
    static final List<String> SWAP_TLDS = List.of("com", "net", "org", "io", "co", "ai", "app", "dev", "info", "biz",
            "xyz", "top", "tk", "ml", "ga", "cf", "gq", "cc", "me", "us", "ws", "online", "site", "click", "link",
            "live", "shop", "store", "zip", "mov", "cloud", "tech", "pw", "sh", "so", "to", "ly", "in", "cn", "ru");

    private static final String[] KEYBOARD = {"1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    private static final Map<Character, String> NEIGHBOURS = neighbours();
    private static final String VOWELS = "aeiou";
    private static final IDNA UTS46 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_UNICODE);
    /** ASCII look-alikes UTS #39 does not equate (its skeletons keep 1 and i, 0 and o apart in lower case). */
    private static final Map<String, List<String>> ASCII_HOMOGLYPHS = Map.ofEntries(
            Map.entry("o", List.of("0")), Map.entry("0", List.of("o")), Map.entry("i", List.of("1", "l")),
            Map.entry("l", List.of("1", "i")), Map.entry("1", List.of("l", "i")), Map.entry("e", List.of("3")),
            Map.entry("a", List.of("4")), Map.entry("s", List.of("5")), Map.entry("g", List.of("9", "q")),
            Map.entry("q", List.of("g")), Map.entry("b", List.of("6")), Map.entry("z", List.of("2")),
            Map.entry("m", List.of("rn", "nn")), Map.entry("w", List.of("vv")), Map.entry("d", List.of("cl")),
            Map.entry("rn", List.of("m")), Map.entry("vv", List.of("w")), Map.entry("cl", List.of("d")));
    /** Thread-safe once built, and costly to build: one for all. */
    private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();

    /** Why a candidate resembles a protected domain. */
    public record Match(String protectedDomain, String technique) {
    }

    private record Protected(String registrable, String name, String suffix) {
    }

    private final Set<String> protectedDomains;
    private final List<Protected> targets;
    private final Map<String, Match> variants;
    private final Map<String, String> skeletons;

    public Lookalikes(List<String> domains) {
        List<Protected> list = new ArrayList<>();
        Set<String> registrables = new LinkedHashSet<>();
        for (String d : domains) {
            Optional<DomainName> parsed = DomainName.of(d.toLowerCase(Locale.ROOT));
            if (parsed.isEmpty()) {
                throw new IllegalArgumentException("'" + d + "' is not a domain under a public suffix");
            }
            if (registrables.add(parsed.get().registryDomain())) {
                list.add(new Protected(parsed.get().registryDomain(), parsed.get().registryName(),
                        parsed.get().registrySuffix()));
            }
        }
        this.protectedDomains = Set.copyOf(registrables);
        this.targets = List.copyOf(list);
        Map<String, Match> index = new HashMap<>();
        Map<String, String> skel = new HashMap<>();
        for (Protected p : targets) {
            // First technique wins: the list order puts the most specific explanations first.
            for (Map.Entry<String, String> v : variantsOf(p).entrySet()) {
                if (!protectedDomains.contains(v.getKey())) {
                    index.putIfAbsent(v.getKey(), new Match(p.registrable(), v.getValue()));
                }
            }
            skel.putIfAbsent(skeleton(p.registrable()), p.registrable());
        }
        this.variants = Map.copyOf(index);
        this.skeletons = Map.copyOf(skel);
    }

    /** Whether {@code domain} resembles a protected domain it is not. */
    public Optional<Match> match(DomainName domain) {
        Optional<Match> byName = matchRegistrable(domain);
        return byName.isPresent() ? byName : embedded(domain);
    }

    /** The checks that depend on the registry domain alone (so callers may cache them by it). */
    public Optional<Match> matchRegistrable(DomainName domain) {
        String registrable = domain.registryDomain();
        if (protectedDomains.contains(registrable)) {
            return Optional.empty();
        }
        Match indexed = variants.get(registrable);
        if (indexed != null) {
            return Optional.of(indexed);
        }
        String name = domain.registryName();
        String suffix = domain.registrySuffix();
        for (Protected p : targets) {
            if (name.equals(p.name()) && !suffix.equals(p.suffix()) && p.name().length() >= MIN_NAME_FOR_VARIANTS
                    && SWAP_TLDS.contains(suffix)) {
                return Optional.of(new Match(p.registrable(), "TLD swap"));
            }
            if (suffix.equals(p.suffix()) && p.name().length() >= MIN_NAME_FOR_EDIT_DISTANCE
                    && Math.abs(name.length() - p.name().length()) <= 1 && damerauLevenshtein(name, p.name()) == 1) {
                return Optional.of(new Match(p.registrable(), "one edit"));
            }
            if (p.name().length() >= MIN_NAME_FOR_VARIANTS && name.contains("-")
                    && List.of(name.split("-")).contains(p.name())) {
                return Optional.of(new Match(p.registrable(), "added word"));
            }
        }
        String s = skeleton(registrable);
        String confusable = skeletons.get(s);
        return confusable == null ? Optional.empty() : Optional.of(new Match(confusable, "confusable characters"));
    }

    /** {@code openai.com.evil.xyz}, {@code github-com.evil.net}: the brand spelled out left of someone else's domain. */
    public Optional<Match> embedded(DomainName domain) {
        String sub = domain.registrySubdomain();
        if (sub.isEmpty() || protectedDomains.contains(domain.registryDomain())) {
            return Optional.empty();
        }
        String dotted = "." + sub + ".";
        String dashed = "." + sub.replace('.', '-') + "-";
        for (Protected p : targets) {
            if (p.name().length() < MIN_NAME_FOR_VARIANTS) {
                continue;
            }
            if (dotted.contains("." + p.registrable() + ".") || dashed.contains("." + p.registrable().replace('.', '-') + "-")) {
                return Optional.of(new Match(p.registrable(), "brand in subdomain"));
            }
        }
        return Optional.empty();
    }

    /** The lower-cased UTS #39 skeleton of a domain's Unicode form. */
    String skeleton(String asciiDomain) {
        StringBuilder unicode = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        UTS46.nameToUnicode(asciiDomain, unicode, info);
        String text = info.hasErrors() ? asciiDomain : unicode.toString();
        return SPOOF.getSkeleton(text).toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> variantsOf(Protected p) {
        Map<String, String> out = new LinkedHashMap<>();
        String n = p.name();
        String s = "." + p.suffix();
        if (n.length() >= MIN_NAME_FOR_VARIANTS) {
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                add(out, n.substring(0, i) + n.substring(i + 1), s, "omission");
                add(out, n.substring(0, i) + c + n.substring(i), s, "repetition");
                for (char k : NEIGHBOURS.getOrDefault(c, "").toCharArray()) {
                    add(out, n.substring(0, i) + k + n.substring(i + 1), s, "keyboard replacement");
                    add(out, n.substring(0, i) + k + n.substring(i), s, "keyboard insertion");
                    add(out, n.substring(0, i + 1) + k + n.substring(i + 1), s, "keyboard insertion");
                }
                if (VOWELS.indexOf(c) >= 0) {
                    for (char v : VOWELS.toCharArray()) {
                        add(out, n.substring(0, i) + v + n.substring(i + 1), s, "vowel swap");
                    }
                }
                // Any insertion, not only keyboard neighbours: short names (pypi) are below the one-edit check.
                for (char k = 'a'; k <= 'z'; k++) {
                    add(out, n.substring(0, i) + k + n.substring(i), s, "insertion");
                }
                for (int bit = 0; bit < 8; bit++) {
                    char flipped = (char) (c ^ (1 << bit));
                    if ((flipped >= 'a' && flipped <= 'z') || (flipped >= '0' && flipped <= '9') || flipped == '-') {
                        add(out, n.substring(0, i) + flipped + n.substring(i + 1), s, "bit flip");
                    }
                }
                if (i + 1 < n.length()) {
                    add(out, n.substring(0, i) + n.charAt(i + 1) + c + n.substring(i + 2), s, "transposition");
                    add(out, n.substring(0, i + 1) + "-" + n.substring(i + 1), s, "hyphenation");
                }
            }
            for (Map.Entry<String, List<String>> glyph : ASCII_HOMOGLYPHS.entrySet()) {
                for (int at = n.indexOf(glyph.getKey()); at >= 0; at = n.indexOf(glyph.getKey(), at + 1)) {
                    for (String look : glyph.getValue()) {
                        add(out, n.substring(0, at) + look + n.substring(at + glyph.getKey().length()), s, "homoglyph");
                    }
                }
            }
            for (char c = 'a'; c <= 'z'; c++) {
                add(out, n + c, s, "appended character");
            }
            for (char c = '0'; c <= '9'; c++) {
                add(out, n + c, s, "appended character");
            }
            for (String w : WORDS) {
                add(out, n + w, s, "added word");
                add(out, n + "-" + w, s, "added word");
                add(out, w + n, s, "added word");
                add(out, w + "-" + n, s, "added word");
            }
        }
        for (String tld : SWAP_TLDS) {
            if (!tld.equals(p.suffix()) && n.length() >= MIN_NAME_FOR_VARIANTS) {
                out.putIfAbsent(n + "." + tld, "TLD swap");
            }
        }
        return out;
    }

    private static void add(Map<String, String> out, String name, String suffix, String technique) {
        if (name.isEmpty() || name.startsWith("-") || name.endsWith("-") || name.contains("--")) {
            return;
        }
        out.putIfAbsent(name + suffix, technique);
    }

    /** Optimal string alignment distance (adjacent transpositions count as one edit). */
    static int damerauLevenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** QWERTY neighbours: same row either side, the row above at i and i+1, the row below at i-1 and i. */
    private static Map<Character, String> neighbours() {
        Map<Character, String> map = new HashMap<>();
        for (int r = 0; r < KEYBOARD.length; r++) {
            for (int i = 0; i < KEYBOARD[r].length(); i++) {
                StringBuilder n = new StringBuilder();
                appendAt(n, r, i - 1);
                appendAt(n, r, i + 1);
                appendAt(n, r - 1, i);
                appendAt(n, r - 1, i + 1);
                appendAt(n, r + 1, i - 1);
                appendAt(n, r + 1, i);
                map.put(KEYBOARD[r].charAt(i), n.toString());
            }
        }
        return Map.copyOf(map);
    }

    private static void appendAt(StringBuilder out, int row, int i) {
        if (row >= 0 && row < KEYBOARD.length && i >= 0 && i < KEYBOARD[row].length()) {
            out.append(KEYBOARD[row].charAt(i));
        }
    }
}
