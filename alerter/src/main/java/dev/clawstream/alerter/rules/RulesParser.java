package dev.clawstream.alerter.rules;

import dev.clawstream.alerter.detect.DomainName;
import dev.clawstream.alerter.rules.YamlNode.Mapping;
import dev.clawstream.alerter.rules.YamlNode.Member;
import dev.clawstream.alerter.rules.YamlNode.Position;
import dev.clawstream.alerter.rules.YamlNode.Scalar;
import dev.clawstream.alerter.rules.YamlNode.Sequence;
import dev.clawstream.schemas.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a rules file (YAML, or JSON, which YAML reads too) in the shape of the seeds' sample alert
 * configuration:
 *
 * <pre>
 * grace: 30 seconds              # optional: how long windows wait for late events
 * alerts:
 * - name: blocked_request_spike
 *   condition: blocked_requests &gt; 100 in 5 minutes
 *   severity: high
 *   notify: security@company.com  # one label or a list, copied into every alert
 * </pre>
 *
 * Every fault is reported, each with its line, column and path; a file with any fault yields no rules.
 * The conditions, the fields each accepts and their defaults are documented in the default rules file
 * ({@code default-rules.yaml}, next to this class's package in the resources).
 */
public final class RulesParser {

    /** The default rules, shipped as a resource. */
    public static final String DEFAULT_RESOURCE = "/dev/clawstream/alerter/default-rules.yaml";

    static final Duration DEFAULT_DEDUPE = Duration.ofHours(1);
    /** A window longer than this is a typo (minutes for days) or a store that never expires. */
    static final Duration MAX_WINDOW = Duration.ofDays(1);
    static final Duration MAX_RETENTION = Duration.ofDays(400);

    private static final Set<String> COMMON = Set.of("name", "condition", "severity", "severity_when_denied", "notify",
            "dedupe_window", "enabled");
    private static final Pattern DURATION = Pattern.compile(
            "(\\d{1,9})\\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)", Pattern.CASE_INSENSITIVE);

    /** The condition grammar: one pattern per condition; the named groups are optional parts. */
    private enum ConditionForm {
        BLOCKED("(?<fleet>fleet_)?blocked_requests(?:\\s*>\\s*(?<n>\\S+))?(?:\\s+in\\s+(?<window>.+))?",
                Set.of("threshold", "window")),
        SUBDOMAINS("distinct_subdomains(?:\\s*>\\s*(?<n>\\S+))?(?:\\s+in\\s+(?<window>.+))?",
                Set.of("threshold", "window", "trusted_parents")),
        VOLUME("bytes_out(?:\\s*>\\s*(?<n>\\S+)\\s*(?:sigma|stddev|standard deviations?))?(?:\\s+in\\s+(?<window>.+))?",
                Set.of("threshold", "window", "min_history", "alpha", "min_bytes")),
        TLD("domain\\s+matches\\s+(?<list>.+)", Set.of()),
        LOOKALIKE("domain\\s+resembles\\s+(?<list>.+)", Set.of()),
        TUNNEL_NAME("tunnel_shaped_name", Set.of("max_label_length", "min_encoded_length", "min_entropy",
                "trusted_parents")),
        FIRST_CONTACT("(?<fleet>fleet_)?first_contact", Set.of("retention")),
        REDIRECT_TO_NEW_DOMAIN("redirect_to_new_domain", Set.of("retention")),
        UNEXPECTED_AGENT("unexpected_agent", Set.of()),
        SIDECAR_BYPASS("sidecar_allowed_policy_denied", Set.of()),
        RECEIPT_SCOPE("receipt_scope_mismatch", Set.of()),
        SHADOW_CLIENT("provider_call_without_receipt(?:\\s+in\\s+(?<window>.+))?", Set.of("window", "providers"));

        final Pattern pattern;
        final Set<String> fields;

        ConditionForm(String regex, Set<String> fields) {
            this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
            this.fields = fields;
        }
    }

    private final String source;
    private final List<RulesError> errors = new ArrayList<>();

    private RulesParser(String source) {
        this.source = source;
    }

    public static RulesParseResult parse(String text, String source) {
        return new RulesParser(source).parseAll(text);
    }

    /** The rules shipped with Clawstream; a broken default file is a build bug, not input. */
    public static RuleSet defaults() {
        try (InputStream in = RulesParser.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the build");
            }
            RulesParseResult result = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default-rules.yaml");
            if (result instanceof RulesParseResult.Invalid invalid) {
                throw new IllegalStateException("the default rules are invalid: " + invalid.errors());
            }
            return ((RulesParseResult.Valid) result).rules();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RulesParseResult parseAll(String text) {
        YamlNode.Read read = YamlNode.read(text, source);
        if (read instanceof YamlNode.Read.Broken broken) {
            return new RulesParseResult.Invalid(broken.errors());
        }
        YamlNode root = ((YamlNode.Read.Tree) read).root();
        if (!(root instanceof Mapping top)) {
            error(root.at(), "$", "expected a mapping with an 'alerts' list");
            return new RulesParseResult.Invalid(errors);
        }
        unknownFields(top, "$", Set.of("alerts", "grace"));
        Duration grace = Optional.ofNullable(top.members().get("grace"))
                .flatMap(m -> duration(m.value(), "$.grace", true)).orElse(RuleSet.DEFAULT_GRACE);
        List<Rule> rules = new ArrayList<>();
        Member alerts = top.members().get("alerts");
        if (alerts == null) {
            error(top.at(), "$.alerts", "missing: the list of alert rules");
        } else if (!(alerts.value() instanceof Sequence list)) {
            error(alerts.value().at(), "$.alerts", "expected a list of alert rules");
        } else {
            Map<String, Position> names = new HashMap<>();
            for (int i = 0; i < list.items().size(); i++) {
                rule(list.items().get(i), "$.alerts[" + i + "]", names).ifPresent(rules::add);
            }
        }
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(RulesError::line).thenComparingInt(RulesError::column));
            return new RulesParseResult.Invalid(errors);
        }
        return new RulesParseResult.Valid(new RuleSet(rules, grace));
    }

    private Optional<Rule> rule(YamlNode node, String path, Map<String, Position> names) {
        if (!(node instanceof Mapping rule)) {
            error(node.at(), path, "expected a rule: a mapping with name, condition, severity");
            return Optional.empty();
        }
        int before = errors.size();
        Optional<String> name = requiredText(rule, path, "name");
        name.ifPresent(n -> {
            String at = path + ".name";
            Position p = rule.members().get("name").value().at();
            if (!Rule.NAME.matcher(n).matches()) {
                error(p, at, "'" + n + "' is not a rule name: lower-case letters, digits, '_', '.', '-', at most 64");
            } else if (names.containsKey(n)) {
                Position first = names.get(n);
                error(p, at, "duplicate rule name '" + n + "' (first at " + first.line() + ":" + first.column() + ")");
            } else {
                names.put(n, p);
            }
        });
        Optional<Severity> severity = severity(rule, path, "severity", true);
        Optional<Severity> whenDenied = severity(rule, path, "severity_when_denied", false);
        List<String> notify = rule.members().containsKey("notify")
                ? texts(rule.members().get("notify").value(), path + ".notify", false) : List.of();
        Optional<Duration> dedupe = Optional.ofNullable(rule.members().get("dedupe_window"))
                .flatMap(m -> duration(m.value(), path + ".dedupe_window", false));
        boolean enabled = Optional.ofNullable(rule.members().get("enabled"))
                .map(m -> bool(m.value(), path + ".enabled")).orElse(true);
        Optional<Condition> condition = requiredText(rule, path, "condition")
                .flatMap(text -> condition(text, rule, path));
        if (errors.size() > before || !enabled) {
            return Optional.empty();
        }
        Condition c = condition.orElseThrow();
        return Optional.of(new Rule(name.orElseThrow(), c, severity.orElseThrow(), whenDenied.orElse(severity.get()),
                notify, dedupe.orElse(c.countingWindow().orElse(DEFAULT_DEDUPE))));
    }

    private Optional<Condition> condition(String text, Mapping rule, String path) {
        String at = path + ".condition";
        Position p = rule.members().get("condition").value().at();
        String normalised = text.trim().replaceAll("\\s+", " ");
        for (ConditionForm form : ConditionForm.values()) {
            Matcher m = form.pattern.matcher(normalised);
            if (!m.matches()) {
                continue;
            }
            Set<String> allowed = new HashSet<>(COMMON);
            allowed.addAll(form.fields);
            unknownFields(rule, path, allowed);
            return build(form, m, rule, path, p);
        }
        error(p, at, "unknown condition '" + normalised + "'; expected one of: blocked_requests > N in D, "
                + "fleet_blocked_requests > N in D, domain matches *.tld, ..., domain resembles well_known, ..., "
                + "tunnel_shaped_name, distinct_subdomains > N in D, bytes_out > K sigma in D, first_contact, "
                + "fleet_first_contact, redirect_to_new_domain, unexpected_agent, sidecar_allowed_policy_denied, "
                + "receipt_scope_mismatch, "
                + "provider_call_without_receipt in D");
        return Optional.empty();
    }

    private Optional<Condition> build(ConditionForm form, Matcher m, Mapping rule, String path, Position p) {
        String at = path + ".condition";
        int before = errors.size();
        Condition c = null;
        switch (form) {
            case BLOCKED -> {
                long n = number(m, rule, path, p, 100, 0, 1_000_000_000L).longValue();
                Duration w = window(m, rule, path, p, Duration.ofMinutes(5));
                c = errors.size() > before ? null
                        : new Condition.BlockedSpike(m.group("fleet") != null ? Scope.FLEET : Scope.AGENT, n, w);
            }
            case SUBDOMAINS -> {
                long n = number(m, rule, path, p, 50, 1, 1_000_000).longValue();
                Duration w = window(m, rule, path, p, Duration.ofMinutes(5));
                List<String> trusted = trustedParents(rule, path);
                c = errors.size() > before ? null : new Condition.SubdomainBurst(n, w, trusted);
            }
            case VOLUME -> {
                double k = number(m, rule, path, p, 4, 0.5, 100).doubleValue();
                Duration w = window(m, rule, path, p, Duration.ofMinutes(5));
                int history = field(rule, path, "min_history", 12, 1, 10_000).intValue();
                double alpha = field(rule, path, "alpha", 0.1, 0.001, 1).doubleValue();
                long minBytes = field(rule, path, "min_bytes", 8 << 20, 0, Long.MAX_VALUE).longValue();
                c = errors.size() > before ? null : new Condition.UnusualVolume(k, w, history, alpha, minBytes);
            }
            case TLD -> {
                List<String> tlds = new ArrayList<>();
                for (String item : m.group("list").split(",")) {
                    String t = item.trim().toLowerCase(Locale.ROOT);
                    t = t.startsWith("*.") ? t.substring(2) : t.startsWith(".") ? t.substring(1) : t;
                    if (!t.matches("[a-z0-9-]+(\\.[a-z0-9-]+)*")) {
                        error(p, at, "'" + item.trim() + "' is not a TLD pattern (write *.xyz)");
                    } else {
                        tlds.add(t);
                    }
                }
                c = errors.size() > before ? null : new Condition.SuspiciousTld(tlds);
            }
            case LOOKALIKE -> {
                Set<String> domains = new LinkedHashSet<>();
                for (String item : m.group("list").split(",")) {
                    String d = item.trim().toLowerCase(Locale.ROOT);
                    if (d.equals(WellKnownDomains.KEYWORD)) {
                        domains.addAll(WellKnownDomains.DOMAINS);
                    } else if (DomainName.of(d).isEmpty()
                            || !d.matches("[a-z0-9.-]+")) {
                        error(p, at, "'" + item.trim() + "' is not a domain under a public suffix (or well_known)");
                    } else {
                        domains.add(d);
                    }
                }
                c = errors.size() > before ? null : new Condition.Lookalike(List.copyOf(domains));
            }
            case TUNNEL_NAME -> {
                int max = field(rule, path, "max_label_length", 40, 8, 63).intValue();
                int min = field(rule, path, "min_encoded_length", 20, 8, 63).intValue();
                double entropy = field(rule, path, "min_entropy", 3.6, 1, 6).doubleValue();
                List<String> trusted = trustedParents(rule, path);
                c = errors.size() > before ? null : new Condition.TunnelName(max, min, entropy, trusted);
            }
            case FIRST_CONTACT -> {
                Duration retention = retention(rule, path);
                c = errors.size() > before ? null
                        : new Condition.FirstContact(m.group("fleet") != null ? Scope.FLEET : Scope.AGENT, retention);
            }
            case REDIRECT_TO_NEW_DOMAIN -> {
                Duration retention = retention(rule, path);
                c = errors.size() > before ? null : new Condition.RedirectToNewDomain(retention);
            }
            case UNEXPECTED_AGENT -> c = new Condition.UnexpectedAgent();
            case SIDECAR_BYPASS -> c = new Condition.SidecarBypass();
            case RECEIPT_SCOPE -> c = new Condition.ReceiptScopeMismatch();
            case SHADOW_CLIENT -> {
                Duration w = window(m, rule, path, p, Duration.ofMinutes(2));
                List<String> hosts = rule.members().containsKey("providers")
                        ? texts(rule.members().get("providers").value(), path + ".providers", true)
                        : ProviderHosts.DEFAULT;
                for (String h : hosts) {
                    if (!h.matches("(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)+")) {
                        error(rule.members().get("providers").value().at(), path + ".providers",
                                "'" + h + "' is not a host name or *.suffix pattern (lower-case)");
                    }
                }
                c = errors.size() > before ? null : new Condition.ShadowClient(w, hosts);
            }
            default -> throw new IllegalStateException(form.name());
        }
        return Optional.ofNullable(c);
    }

    /** Domains (or well_known) whose names are never tunnels: their owners, not an attacker, run their DNS. */
    private List<String> trustedParents(Mapping rule, String path) {
        Member member = rule.members().get("trusted_parents");
        if (member == null) {
            return TrustedParents.DEFAULT;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String d : texts(member.value(), path + ".trusted_parents", true)) {
            if (d.equals(WellKnownDomains.KEYWORD)) {
                out.addAll(WellKnownDomains.DOMAINS);
            } else if (DomainName.of(d).isEmpty() || !d.matches("[a-z0-9.-]+")) {
                error(member.value().at(), path + ".trusted_parents", "'" + d + "' is not a domain (or well_known)");
            } else {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    /** The condition's "> N", or the threshold field, or the default; not both. */
    private Number number(Matcher m, Mapping rule, String path, Position p, double fallback, double min, double max) {
        String inline = m.group("n");
        if (inline != null && rule.members().containsKey("threshold")) {
            error(rule.members().get("threshold").keyAt(), path + ".threshold",
                    "the condition already gives the threshold ('> " + inline + "')");
            return fallback;
        }
        if (inline != null) {
            return checkedNumber(inline, p, path + ".condition", min, max).orElse(fallback);
        }
        return field(rule, path, "threshold", fallback, min, max);
    }

    private Duration window(Matcher m, Mapping rule, String path, Position p, Duration fallback) {
        String inline = m.group("window");
        Duration w;
        if (inline != null && rule.members().containsKey("window")) {
            error(rule.members().get("window").keyAt(), path + ".window",
                    "the condition already gives the window ('in " + inline + "')");
            return fallback;
        } else if (inline != null) {
            w = duration(inline, p, path + ".condition", false).orElse(fallback);
        } else {
            w = Optional.ofNullable(rule.members().get("window"))
                    .flatMap(n -> duration(n.value(), path + ".window", false)).orElse(fallback);
        }
        if (w.compareTo(MAX_WINDOW) > 0) {
            error(p, path + ".condition", "window " + w + " is longer than " + MAX_WINDOW.toHours() + " hours");
        }
        return w;
    }

    /** A memory's retention: field {@code retention}, 30 days unless given, at most {@link #MAX_RETENTION}. */
    private Duration retention(Mapping rule, String path) {
        Duration retention = Optional.ofNullable(rule.members().get("retention"))
                .flatMap(r -> duration(r.value(), path + ".retention", false)).orElse(Duration.ofDays(30));
        if (retention.compareTo(MAX_RETENTION) > 0) {
            error(rule.members().get("retention").value().at(), path + ".retention",
                    "longer than " + MAX_RETENTION.toDays() + " days");
        }
        return retention;
    }

    private Number field(Mapping rule, String path, String name, double fallback, double min, double max) {
        Member member = rule.members().get(name);
        if (member == null) {
            return fallback;
        }
        String at = path + "." + name;
        if (!(member.value() instanceof Scalar s) || s.text() == null || s.string()) {
            error(member.value().at(), at, "expected a number");
            return fallback;
        }
        return checkedNumber(s.text(), member.value().at(), at, min, max).orElse(fallback);
    }

    private Optional<Number> checkedNumber(String text, Position p, String at, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            error(p, at, "'" + text + "' is not a number");
            return Optional.empty();
        }
        if (!(v >= min && v <= max)) {
            error(p, at, text + " is out of range [" + fmt(min) + ", " + fmt(max) + "]");
            return Optional.empty();
        }
        return Optional.of(v);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private Optional<Duration> duration(YamlNode node, String at, boolean zeroAllowed) {
        if (!(node instanceof Scalar s) || s.text() == null) {
            error(node.at(), at, "expected a duration such as '5 minutes', '30s' or 'PT5M'");
            return Optional.empty();
        }
        return duration(s.text(), node.at(), at, zeroAllowed);
    }

    private Optional<Duration> duration(String text, Position p, String at, boolean zeroAllowed) {
        String t = text.trim();
        Duration d = null;
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            d = unit.equals("ms") ? Duration.ofMillis(n)
                    : unit.startsWith("s") ? Duration.ofSeconds(n)
                    : unit.startsWith("m") ? Duration.ofMinutes(n)
                    : unit.startsWith("h") ? Duration.ofHours(n) : Duration.ofDays(n);
        } else if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                d = null;
            }
        }
        if (d == null) {
            error(p, at, "'" + t + "' is not a duration (write e.g. '5 minutes', '30s', '1 hour', 'PT5M')");
            return Optional.empty();
        }
        if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            error(p, at, "'" + t + "' must be positive");
            return Optional.empty();
        }
        return Optional.of(d);
    }

    private Optional<String> requiredText(Mapping rule, String path, String name) {
        Member member = rule.members().get(name);
        if (member == null) {
            error(rule.at(), path + "." + name, "missing");
            return Optional.empty();
        }
        if (!(member.value() instanceof Scalar s) || s.text() == null || s.text().isBlank()) {
            error(member.value().at(), path + "." + name, "expected text");
            return Optional.empty();
        }
        return Optional.of(s.text());
    }

    private Optional<Severity> severity(Mapping rule, String path, String name, boolean required) {
        Member member = rule.members().get(name);
        if (member == null && !required) {
            return Optional.empty();
        }
        Optional<String> text = requiredText(rule, path, name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Severity.valueOf(text.get().trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            error(member.value().at(), path + "." + name, "'" + text.get() + "' is not a severity "
                    + "(info, low, medium, high, critical)");
            return Optional.empty();
        }
    }

    private boolean bool(YamlNode node, String at) {
        if (node instanceof Scalar s && !s.string() && ("true".equals(s.text()) || "false".equals(s.text()))) {
            return Boolean.parseBoolean(s.text());
        }
        error(node.at(), at, "expected true or false");
        return true;
    }

    /** One text or a list of texts (the seeds write {@code notify: a} and {@code notify: [a, b]}). */
    private List<String> texts(YamlNode node, String at, boolean lowerCase) {
        List<YamlNode> items = node instanceof Sequence seq ? seq.items() : List.of(node);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlNode item = items.get(i);
            String itemAt = node instanceof Sequence ? at + "[" + i + "]" : at;
            if (!(item instanceof Scalar s) || s.text() == null || s.text().isBlank()) {
                error(item.at(), itemAt, "expected text");
            } else {
                out.add(lowerCase ? s.text().trim().toLowerCase(Locale.ROOT) : s.text().trim());
            }
        }
        return out;
    }

    private void unknownFields(Mapping mapping, String path, Set<String> allowed) {
        for (Map.Entry<String, Member> e : mapping.members().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                error(e.getValue().keyAt(), path + "." + e.getKey(), "unknown field '" + e.getKey() + "' here; expected "
                        + allowed.stream().sorted().toList());
            }
        }
    }

    private void error(Position p, String path, String message) {
        errors.add(new RulesError(source, p.line(), p.column(), path, message));
    }
}
