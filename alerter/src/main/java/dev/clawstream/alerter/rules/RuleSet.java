package dev.clawstream.alerter.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The enabled rules of a rules file, and the grace period windows wait for late events.
 */
public record RuleSet(List<Rule> rules, Duration grace) {

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

    public RuleSet {
        rules = List.copyOf(rules);
        if (grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("grace must be zero or positive");
        }
        if (rules.stream().map(Rule::name).distinct().count() != rules.size()) {
            throw new IllegalArgumentException("rule names must be unique");
        }
    }

    public Optional<Rule> byName(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Map<String, Rule> byName() {
        return rules.stream().collect(Collectors.toUnmodifiableMap(Rule::name, Function.identity()));
    }
}
