package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.destination.Host;
import dev.clawstream.enforcer.destination.Host.AddressHost;
import dev.clawstream.enforcer.destination.Host.DomainHost;
import dev.clawstream.enforcer.destination.ParsedDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.Unparseable;
import dev.clawstream.enforcer.destination.SpecialPurposeAddresses;
import dev.clawstream.enforcer.wpc.CidrRule;
import dev.clawstream.enforcer.wpc.DomainRule;
import dev.clawstream.enforcer.wpc.Wpc;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A WPC compiled once into lookup structures (a reversed-label trie for names, address tries for
 * CIDRs), then asked for decisions. Immutable and thread-safe.
 *
 * <p>Egress order, first match wins: unreadable destination; denied tool; a deny rule on the name;
 * a deny rule on any address (the host's, or the resolved IP the sidecar saw — DNS rebinding — each
 * with its embedded IPv4); a metadata-service name; a special-purpose address the WPC does not
 * explicitly allow; then the allow rules; else default deny. Deny always wins over allow.
 */
public final class CompiledPolicy {

    private final Wpc wpc;
    private final Sha256Hash hash;
    private final DomainRuleSet allowDomains;
    private final DomainRuleSet denyDomains;
    private final CidrRuleSet allowCidrs;
    private final CidrRuleSet denyCidrs;
    private final ModelPolicy models;
    private final ToolPolicy tools;

    private CompiledPolicy(Wpc wpc, Sha256Hash hash) {
        this.wpc = wpc;
        this.hash = hash;
        this.allowDomains = domains(wpc.egress().allowDomains());
        this.denyDomains = domains(wpc.egress().denyDomains());
        this.allowCidrs = cidrs(wpc.egress().allowCidrs());
        this.denyCidrs = cidrs(wpc.egress().denyCidrs());
        this.models = new ModelPolicy(wpc.models());
        this.tools = new ToolPolicy(wpc.tools());
    }

    /**
     * @throws IllegalArgumentException when a domain pattern is not a host a client could reach
     *                                  (fails IDNA), naming the rule
     */
    public static CompiledPolicy compile(Wpc wpc, Sha256Hash hash) {
        return new CompiledPolicy(Objects.requireNonNull(wpc, "wpc"), Objects.requireNonNull(hash, "hash"));
    }

    public Sha256Hash hash() {
        return hash;
    }

    public PolicyMode mode() {
        return wpc.mode();
    }

    public Wpc wpc() {
        return wpc;
    }

    /**
     * The decision on one connection attempt.
     *
     * @param resolvedIp the address the sidecar saw the name resolve to, as reported (unparsed)
     * @param tool       the agent tool that opened the connection, when known
     */
    public PolicyDecision decideEgress(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool) {
        return PolicyDecision.of(egressOutcome(destination, resolvedIp, tool), hash, wpc.mode());
    }

    /** The decision on one model call (a gateway receipt). */
    public PolicyDecision decideModelCall(String provider, String modelId) {
        return PolicyDecision.of(models.decide(provider, modelId), hash, wpc.mode());
    }

    Outcome egressOutcome(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool) {
        if (destination instanceof Unparseable u) {
            return Outcome.deny(u.kind() == Unparseable.Kind.AMBIGUOUS
                    ? ReasonCode.AMBIGUOUS_DESTINATION : ReasonCode.INVALID_DESTINATION, u.reason());
        }
        EgressDestination d = (EgressDestination) destination;
        Optional<Outcome> toolDenial = tools.denial(tool);
        if (toolDenial.isPresent()) {
            return toolDenial.get();
        }
        List<IPAddress> addresses = new ArrayList<>(2);
        if (d.host() instanceof AddressHost a) {
            addresses.add(a.address());
        }
        if (resolvedIp.isPresent()) {
            try {
                addresses.add(DestinationParser.parseResolvedIp(resolvedIp.get()));
            } catch (AddressStringException e) {
                return Outcome.deny(ReasonCode.INVALID_DESTINATION, "resolved IP '" + resolvedIp.get()
                        + "' is not an IP address: " + e.getMessage());
            }
        }
        if (d.host() instanceof DomainHost name) {
            for (EgressRule rule : denyDomains.matching(name.ascii())) {
                if (rule.covers(d.port(), d.schemeDefaultPort())) {
                    return Outcome.deny(ReasonCode.DENIED_DOMAIN, rule.pointer(), name.ascii() + " is denied");
                }
            }
        }
        for (IPAddress address : addresses) {
            for (IPAddress view : SpecialPurposeAddresses.views(address)) {
                for (EgressRule rule : denyCidrs.matching(view)) {
                    if (rule.covers(d.port(), d.schemeDefaultPort())) {
                        return Outcome.deny(ReasonCode.DENIED_CIDR, rule.pointer(), describe(address, d) + " is in a denied range");
                    }
                }
            }
        }
        if (d.host() instanceof DomainHost name && SpecialPurposeAddresses.isMetadataName(name)
                && !explicitlyAllowedName(name, d)) {
            return Outcome.deny(ReasonCode.SPECIAL_PURPOSE_IP, name.ascii() + " is a cloud metadata service name");
        }
        for (IPAddress address : addresses) {
            var special = SpecialPurposeAddresses.classify(address);
            if (special.isPresent() && allowingRule(allowCidrs, address, d).isEmpty()) {
                return Outcome.deny(ReasonCode.SPECIAL_PURPOSE_IP, describe(address, d) + " is " + special.get().name()
                        + " (" + special.get().cidr() + ") and no allow.ip_cidrs entry allows it");
            }
        }
        return allowOutcome(d);
    }

    private Outcome allowOutcome(EgressDestination d) {
        List<EgressRule> matching = new ArrayList<>();
        if (d.host() instanceof DomainHost name) {
            matching.addAll(allowDomains.matching(name.ascii()));
        } else {
            for (IPAddress view : SpecialPurposeAddresses.views(((AddressHost) d.host()).address())) {
                matching.addAll(allowCidrs.matching(view));
            }
        }
        for (EgressRule rule : matching) {
            if (rule.covers(d.port(), d.schemeDefaultPort())) {
                return Outcome.allow(d.host() instanceof DomainHost ? ReasonCode.ALLOWED_DOMAIN : ReasonCode.ALLOWED_CIDR,
                        rule.pointer(), d + " is allowed");
            }
        }
        if (!matching.isEmpty()) {
            return Outcome.deny(ReasonCode.PORT_NOT_ALLOWED, matching.get(0).pointer(),
                    d.host() + " is allowed, but not on port " + d.port());
        }
        return Outcome.deny(ReasonCode.DEFAULT_DENY, d + " matches no allow rule");
    }

    private boolean explicitlyAllowedName(DomainHost name, EgressDestination d) {
        // Only an exact rule for the name counts: a wildcard was never meant to open a metadata service.
        for (DomainRule rule : wpc.egress().allowDomains()) {
            if (!rule.pattern().wildcard() && canonical(rule).equals(name.ascii()) && rule.ports().covers(d.port(), d.schemeDefaultPort())) {
                return true;
            }
        }
        return false;
    }

    private static Optional<EgressRule> allowingRule(CidrRuleSet rules, IPAddress address, EgressDestination d) {
        for (IPAddress view : SpecialPurposeAddresses.views(address)) {
            for (EgressRule rule : rules.matching(view)) {
                if (rule.covers(d.port(), d.schemeDefaultPort())) {
                    return Optional.of(rule);
                }
            }
        }
        return Optional.empty();
    }

    private static String describe(IPAddress address, EgressDestination d) {
        return d.host() instanceof AddressHost a && a.address().equals(address)
                ? address.toCanonicalString() : "resolved IP " + address.toCanonicalString();
    }

    private static DomainRuleSet domains(List<DomainRule> rules) {
        DomainRuleSet.Builder builder = DomainRuleSet.builder();
        for (DomainRule rule : rules) {
            builder.add(canonical(rule), rule.pattern().wildcard(), new EgressRule(rule.pointer(), rule.ports()));
        }
        return builder.build();
    }

    /** The pattern's name as a destination host would be spelled (UTS #46), so Unicode rules match. */
    private static String canonical(DomainRule rule) {
        ParsedDestination parsed = DestinationParser.parseHostPort(rule.pattern().name(), null, "https");
        if (parsed instanceof EgressDestination d && d.host() instanceof Host.DomainHost h) {
            return h.ascii();
        }
        throw new IllegalArgumentException(rule.pointer() + ": pattern '" + rule.pattern().raw()
                + "' is not a host name a client could reach: "
                + (parsed instanceof Unparseable u ? u.reason() : "it is an address; use ip_cidrs"));
    }

    private static CidrRuleSet cidrs(List<CidrRule> rules) {
        CidrRuleSet.Builder builder = CidrRuleSet.builder();
        for (CidrRule rule : rules) {
            builder.add(rule.block(), new EgressRule(rule.pointer(), rule.ports()));
        }
        return builder.build();
    }
}
