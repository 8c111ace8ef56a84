package dev.clawstream.enforcer.wpc;

import dev.clawstream.schemas.PolicyMode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a new WPC version changes, split into what it widens (more can leave) and what it narrows
 * (less can leave): the rollback evidence a reviewer needs before a new hash goes live.
 */
public final class WpcDiff {

    /** One changed rule or setting; {@code description} reads like the WPC ({@code allow.domains *.github.com ports [443]}). */
    public record Change(Direction direction, String description) {
        @Override
        public String toString() {
            return (direction == Direction.WIDENS ? "+ widens:  " : "- narrows: ") + description;
        }
    }

    public enum Direction { WIDENS, NARROWS }

    private WpcDiff() {
    }

    /** Every change from {@code before} to {@code after}, widening first, then narrowing. */
    public static List<Change> between(Wpc before, Wpc after) {
        List<Change> changes = new ArrayList<>();
        // An allow entry added widens; a deny entry added narrows; removals are the reverse.
        compare(changes, "allow.domains", before.egress().allowDomains(), after.egress().allowDomains(),
                WpcDiff::domain, true);
        compare(changes, "deny.domains", before.egress().denyDomains(), after.egress().denyDomains(),
                WpcDiff::domain, false);
        compare(changes, "allow.ip_cidrs", before.egress().allowCidrs(), after.egress().allowCidrs(),
                WpcDiff::cidr, true);
        compare(changes, "deny.ip_cidrs", before.egress().denyCidrs(), after.egress().denyCidrs(),
                WpcDiff::cidr, false);
        // A layer added can only narrow (allows intersect, denies add); a layer removed may widen.
        compare(changes, "extends", before.extendsHashes(), after.extendsHashes(), Object::toString, false);
        compare(changes, "allowed.providers", before.models().providers(), after.models().providers(),
                ProviderRule::provider, true);
        compare(changes, "allowed.models", before.models().models(), after.models().models(), ModelRule::id, true);
        compare(changes, "tools.allow", before.tools().allow(), after.tools().allow(), ToolRule::tool, true);
        compare(changes, "tools.deny", before.tools().deny(), after.tools().deny(), ToolRule::tool, false);
        compare(changes, "tools.elevated", before.tools().elevated(), after.tools().elevated(), ToolRule::tool, true);
        if (before.models().denyOnUnknownModel() != after.models().denyOnUnknownModel()) {
            changes.add(new Change(after.models().denyOnUnknownModel() ? Direction.NARROWS : Direction.WIDENS,
                    "requirements.deny_on_unknown_model " + before.models().denyOnUnknownModel() + " -> "
                            + after.models().denyOnUnknownModel()));
        }
        if (before.mode() != after.mode()) {
            // Monitor lets through everything no allow rule covers: moving to it opens all of that.
            changes.add(new Change(after.mode() == PolicyMode.MONITOR ? Direction.WIDENS : Direction.NARROWS,
                    "mode " + mode(before.mode()) + " -> " + mode(after.mode())));
        }
        changes.sort((a, b) -> a.direction().compareTo(b.direction()));
        return List.copyOf(changes);
    }

    private static <T> void compare(List<Change> changes, String list, List<T> before, List<T> after,
                                    Function<T, String> describe, boolean allowList) {
        Set<String> old = before.stream().map(describe).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> now = after.stream().map(describe).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String added : now) {
            if (!old.contains(added)) {
                changes.add(new Change(allowList ? Direction.WIDENS : Direction.NARROWS, list + " + " + added));
            }
        }
        for (String removed : old) {
            if (!now.contains(removed)) {
                changes.add(new Change(allowList ? Direction.NARROWS : Direction.WIDENS, list + " - " + removed));
            }
        }
    }

    private static String domain(DomainRule rule) {
        return (rule.pattern().wildcard() ? "*." : "") + rule.pattern().name() + ports(rule.ports())
                + attestation(rule.requiresAttestation());
    }

    private static String cidr(CidrRule rule) {
        return rule.block().toCanonicalString() + ports(rule.ports()) + attestation(rule.requiresAttestation());
    }

    private static String ports(Ports ports) {
        if (ports instanceof Ports.Listed listed) {
            return " ports " + listed.ports();
        }
        return ports instanceof Ports.Every ? " (every port)" : " (default port)";
    }

    /** A rule bound to an attestation is another rule than the same one for every job. */
    private static String attestation(java.util.Optional<String> required) {
        return required.map(a -> " (requires attestation " + a + ")").orElse("");
    }

    private static String mode(PolicyMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
