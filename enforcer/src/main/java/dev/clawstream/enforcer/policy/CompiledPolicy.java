package dev.clawstream.enforcer.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.clawstream.enforcer.canonical.Jcs;
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
import dev.clawstream.schemas.Verdict;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A job's effective policy: its WPC and every WPC it extends (docs/wpc.md, Layers), each compiled once
 * into lookup structures (a reversed-label trie for names, address tries for CIDRs), then asked for
 * decisions. Immutable and thread-safe.
 *
 * <p>Within one layer, egress order, first match wins: unreadable destination; denied tool; a deny rule
 * on the name; a deny rule on any address (the host's, or the resolved IP the sidecar saw — DNS
 * rebinding — each with its embedded IPv4); a metadata-service name; a special-purpose address the WPC
 * does not explicitly allow; then the allow rules that exist for the job (an attestation-bound rule only
 * when the token carries the attestation); else default deny. Deny always wins over allow.
 *
 * <p>Across layers, a request is allowed only if every layer allows it (allows intersect) and denied
 * if any layer denies it (denies add): the first layer's explicit denial wins, then the first layer's
 * "no allow rule matched", else the job's own layer's allow names the rule.
 */
public final class CompiledPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The denials that mean "no allow rule matched": the only ones monitor mode lets through. */
    static final Set<ReasonCode> NO_ALLOW_RULE = EnumSet.of(ReasonCode.DEFAULT_DENY, ReasonCode.PORT_NOT_ALLOWED);

    private final List<Layer> layers;
    private final Layer leaf;
    private final List<Sha256Hash> layerHashes;
    /** As every decision records them: spelled once here, not once per decision. */
    private final List<String> layerHashesText;
    private final Sha256Hash effectiveHash;
    private final PolicyMode mode;

    private CompiledPolicy(List<Layer> layers) {
        this.layers = List.copyOf(layers);
        this.leaf = layers.get(layers.size() - 1);
        this.layerHashes = layers.stream().map(l -> l.hash).toList();
        this.layerHashesText = layerHashes.stream().map(Sha256Hash::toString).toList();
        this.effectiveHash = effectiveHash(layerHashes);
        // A layer may only make the policy stricter: enforce anywhere means enforce.
        this.mode = layers.stream().allMatch(l -> l.wpc.mode() == PolicyMode.MONITOR) ? PolicyMode.MONITOR
                : PolicyMode.ENFORCE;
    }

    /**
     * One WPC on its own (its {@code extends} not applied: {@link PolicyLayers} does that).
     *
     * @throws IllegalArgumentException when a domain pattern is not a host a client could reach
     *                                  (fails IDNA), naming the rule
     */
    public static CompiledPolicy compile(Wpc wpc, Sha256Hash hash) {
        return new CompiledPolicy(List.of(new Layer(Objects.requireNonNull(wpc, "wpc"),
                Objects.requireNonNull(hash, "hash"))));
    }

    /**
     * The composition of {@code policies}' layers in this order (organisation first, the job's own WPC
     * last); a layer that appears twice counts once, where it first appears.
     */
    public static CompiledPolicy layered(List<CompiledPolicy> policies) {
        Map<Sha256Hash, Layer> ordered = new LinkedHashMap<>();
        for (CompiledPolicy policy : policies) {
            for (Layer layer : policy.layers) {
                ordered.putIfAbsent(layer.hash, layer);
            }
        }
        if (ordered.isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one layer");
        }
        return new CompiledPolicy(new ArrayList<>(ordered.values()));
    }

    /**
     * The effective policy's hash: SHA-256 over the RFC 8785 canonical JSON array of the layer hashes,
     * in order ({@code ["sha256:…","sha256:…"]}).
     */
    public static Sha256Hash effectiveHash(List<Sha256Hash> layerHashes) {
        ArrayNode array = JSON.createArrayNode();
        layerHashes.forEach(h -> array.add(h.toString()));
        return Jcs.hash(array.toString());
    }

    /** The job's own WPC's hash (the last layer): what a token pins and a decision's wpc_hash names. */
    public Sha256Hash hash() {
        return leaf.hash;
    }

    public Sha256Hash effectiveHash() {
        return effectiveHash;
    }

    /** Every layer's hash, organisation first, the job's own WPC last. */
    public List<Sha256Hash> layerHashes() {
        return layerHashes;
    }

    /** {@link #layerHashes()} as {@code sha256:<hex>} text. */
    public List<String> layerHashesText() {
        return layerHashesText;
    }

    /** MONITOR only when every layer says so. */
    public PolicyMode mode() {
        return mode;
    }

    /** The job's own WPC (the last layer). */
    public Wpc wpc() {
        return leaf.wpc;
    }

    /** The decision on one connection attempt by a job whose token carries no attestation. */
    public PolicyDecision decideEgress(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool) {
        return decideEgress(destination, resolvedIp, tool, Set.of());
    }

    /**
     * The decision on one connection attempt.
     *
     * @param resolvedIp   the address the sidecar saw the name resolve to, as reported (unparsed)
     * @param tool         the agent tool that opened the connection, when known
     * @param attestations the attestations of the job's token: a rule that requires one exists only then
     */
    public PolicyDecision decideEgress(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool,
                                       Set<String> attestations) {
        return PolicyDecision.of(egressOutcome(destination, resolvedIp, tool, attestations), leaf.hash, mode);
    }

    /** The decision on one model call (a gateway receipt). */
    public PolicyDecision decideModelCall(String provider, String modelId) {
        return PolicyDecision.of(compose(layer -> layer.models.decide(provider, modelId)), leaf.hash, mode);
    }

    /**
     * What enforce mode would decide for {@code destination}, with no resolved address and no tool: how
     * the source of a redirect is judged (never to lend its trust to the target).
     */
    public Verdict enforcedVerdict(ParsedDestination destination, Set<String> attestations) {
        return egressOutcome(destination, Optional.empty(), Optional.empty(), attestations).verdict();
    }

    Outcome egressOutcome(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool,
                          Set<String> attestations) {
        return compose(layer -> layer.egressOutcome(destination, resolvedIp, tool, attestations));
    }

    /**
     * Every layer's outcome composed: the first explicit denial in layer order, else the first "no allow
     * rule matched", else the job's own layer's allow. Only the outcome returned is labelled with its
     * layer, so a decision under N layers costs N lookups and no more.
     */
    private Outcome compose(java.util.function.Function<Layer, Outcome> decide) {
        if (layers.size() == 1) {
            return decide.apply(leaf);
        }
        Outcome noAllow = null;
        Layer noAllowLayer = null;
        Outcome allow = null;
        for (Layer layer : layers) {
            Outcome outcome = decide.apply(layer);
            if (outcome.allowed()) {
                allow = outcome;
            } else if (!NO_ALLOW_RULE.contains(outcome.reason())) {
                return outcome.inLayer(layer.hash);
            } else if (noAllow == null) {
                noAllow = outcome;
                noAllowLayer = layer;
            }
        }
        return noAllow != null ? noAllow.inLayer(noAllowLayer.hash) : allow.inLayer(leaf.hash);
    }

    /** One WPC compiled. */
    private static final class Layer {
        private final Wpc wpc;
        private final Sha256Hash hash;
        private final DomainRuleSet allowDomains;
        private final DomainRuleSet denyDomains;
        private final CidrRuleSet allowCidrs;
        private final CidrRuleSet denyCidrs;
        private final ModelPolicy models;
        private final ToolPolicy tools;

        private Layer(Wpc wpc, Sha256Hash hash) {
            this.wpc = wpc;
            this.hash = hash;
            this.allowDomains = domains(wpc.egress().allowDomains());
            this.denyDomains = domains(wpc.egress().denyDomains());
            this.allowCidrs = cidrs(wpc.egress().allowCidrs());
            this.denyCidrs = cidrs(wpc.egress().denyCidrs());
            this.models = new ModelPolicy(wpc.models());
            this.tools = new ToolPolicy(wpc.tools());
        }

        Outcome egressOutcome(ParsedDestination destination, Optional<String> resolvedIp, Optional<String> tool,
                              Set<String> attestations) {
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
                    && !explicitlyAllowedName(name, d, attestations)) {
                return Outcome.deny(ReasonCode.SPECIAL_PURPOSE_IP, name.ascii() + " is a cloud metadata service name");
            }
            for (IPAddress address : addresses) {
                var special = SpecialPurposeAddresses.classify(address);
                if (special.isPresent() && allowingRule(allowCidrs, address, d, attestations).isEmpty()) {
                    return Outcome.deny(ReasonCode.SPECIAL_PURPOSE_IP, describe(address, d) + " is " + special.get().name()
                            + " (" + special.get().cidr() + ") and no allow.ip_cidrs entry allows it");
                }
            }
            return allowOutcome(d, attestations);
        }

        private Outcome allowOutcome(EgressDestination d, Set<String> attestations) {
            List<EgressRule> matching = new ArrayList<>();
            if (d.host() instanceof DomainHost name) {
                matching.addAll(allowDomains.matching(name.ascii()));
            } else {
                for (IPAddress view : SpecialPurposeAddresses.views(((AddressHost) d.host()).address())) {
                    matching.addAll(allowCidrs.matching(view));
                }
            }
            // A rule bound to an attestation the token lacks does not exist for this job.
            matching.removeIf(rule -> !rule.appliesTo(attestations));
            for (EgressRule rule : matching) {
                if (rule.covers(d.port(), d.schemeDefaultPort())) {
                    return Outcome.allow(d.host() instanceof DomainHost ? ReasonCode.ALLOWED_DOMAIN : ReasonCode.ALLOWED_CIDR,
                            rule.pointer(), d + " is allowed" + rule.requiresAttestation()
                                    .map(a -> " (the rule requires attestation '" + a + "', which the job's token carries)")
                                    .orElse(""));
                }
            }
            if (!matching.isEmpty()) {
                return Outcome.deny(ReasonCode.PORT_NOT_ALLOWED, matching.get(0).pointer(),
                        d.host() + " is allowed, but not on port " + d.port());
            }
            return Outcome.deny(ReasonCode.DEFAULT_DENY, d + " matches no allow rule");
        }

        private boolean explicitlyAllowedName(DomainHost name, EgressDestination d, Set<String> attestations) {
            // Only an exact rule for the name counts: a wildcard was never meant to open a metadata service.
            for (DomainRule rule : wpc.egress().allowDomains()) {
                if (!rule.pattern().wildcard() && canonical(rule).equals(name.ascii())
                        && rule.ports().covers(d.port(), d.schemeDefaultPort())
                        && rule.requiresAttestation().map(attestations::contains).orElse(true)) {
                    return true;
                }
            }
            return false;
        }

        private static Optional<EgressRule> allowingRule(CidrRuleSet rules, IPAddress address, EgressDestination d,
                                                         Set<String> attestations) {
            for (IPAddress view : SpecialPurposeAddresses.views(address)) {
                for (EgressRule rule : rules.matching(view)) {
                    if (rule.appliesTo(attestations) && rule.covers(d.port(), d.schemeDefaultPort())) {
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
                builder.add(canonical(rule), rule.pattern().wildcard(), new EgressRule(rule.pointer(), rule.ports(),
                        rule.requiresAttestation()));
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
                builder.add(rule.block(), new EgressRule(rule.pointer(), rule.ports(), rule.requiresAttestation()));
            }
            return builder.build();
        }
    }
}
