package dev.clawstream.alerter.detect;

import dev.clawstream.alerter.rules.Condition;
import dev.clawstream.alerter.rules.Rule;

import java.util.List;

/**
 * Destinations under a TLD that free or near-free registration has made a favourite of phishing and
 * malware hosting ({@code .tk .ml .ga .cf .gq}) or that look like file names ({@code .zip .mov}).
 * Allowed traffic there is worse than denied: it went out.
 */
public final class SuspiciousTldDetector implements Detector {

    private final Rule rule;
    private final List<String> suffixes;

    public SuspiciousTldDetector(Rule rule) {
        this.rule = rule;
        this.suffixes = ((Condition.SuspiciousTld) rule.condition()).tlds().stream().map(s -> "." + s).toList();
    }

    @Override
    public List<Finding> observe(Observation o, long streamTime) {
        if (o.domain().isEmpty()) {
            return List.of();
        }
        String host = o.domain().get().host();
        for (String suffix : suffixes) {
            if (host.endsWith(suffix)) {
                String registrable = o.domain().get().registrable();
                return List.of(Finding.single(rule, o, registrable, (o.allowed() ? "allowed" : "denied") + " request to "
                        + host + " under the suspicious TLD " + suffix));
            }
        }
        return List.of();
    }
}
