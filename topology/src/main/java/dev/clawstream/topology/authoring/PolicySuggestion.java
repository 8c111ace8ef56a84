package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InternetDomainName;
import dev.clawstream.enforcer.destination.Host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Drafts a default-deny WPC that allows exactly the destinations that were observed: each observed host
 * on exactly its observed ports, nothing else. Special-purpose destinations (metadata, loopback,
 * private ranges) are never allowed, whoever reached them; they are reported as skipped instead.
 *
 * <p>With {@code groupSubdomains}, two or more observed subdomains of one registrable domain become one
 * wildcard over that domain. The registrable domain comes from the Public Suffix List, private section
 * included, so the wildcard never spans owners: {@code a.example.co.uk} and {@code b.example.co.uk} give
 * {@code *.example.co.uk}, never {@code *.co.uk}; {@code x.alice.github.io} and {@code y.bob.github.io}
 * stay two exact rules, never {@code *.github.io}.
 */
public final class PolicySuggestion {

    /** At most this many agents are named in a rule's note; the rest are counted. */
    static final int AGENTS_NAMED = 5;

    /** Deny blocks added to every draft: checked against resolved addresses too (DNS rebinding). */
    public static final List<String> DENIED_SPECIAL_BLOCKS = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10",
            "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7", "fe80::/10");

    /** The draft document and what was left out of it, with why. */
    public record Suggestion(ObjectNode document, List<String> skipped) {
        public Suggestion {
            skipped = List.copyOf(skipped);
        }
    }

    private PolicySuggestion() {
    }

    public static Suggestion suggest(String name, List<Observation> observations, boolean groupSubdomains) {
        TreeMap<String, Usage> domains = new TreeMap<>();
        TreeMap<String, Usage> addresses = new TreeMap<>();
        TreeMap<String, Integer> skipped = new TreeMap<>();
        for (Observation o : observations) {
            Optional<String> special = SpecialDestinations.whyHostIsSpecial(o.host());
            if (special.isPresent()) {
                skipped.merge(special.get(), 1, Integer::sum);
                continue;
            }
            if (o.host() instanceof Host.DomainHost domain) {
                domains.computeIfAbsent(domain.ascii(), k -> new Usage()).add(o);
            } else {
                String address = ((Host.AddressHost) o.host()).address().withoutPrefixLength().toCanonicalString();
                addresses.computeIfAbsent(address, k -> new Usage()).add(o);
            }
        }
        Map<String, Usage> domainRules = groupSubdomains ? grouped(domains) : domains;

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("wpc_version", "v1");
        doc.put("name", name);
        doc.put("default", "deny");
        ObjectNode allow = doc.putObject("allow");
        ArrayNode domainList = allow.putArray("domains");
        domainRules.forEach((pattern, usage) -> domainList.add(usage.rule("pattern", pattern)));
        ArrayNode cidrList = allow.putArray("ip_cidrs");
        addresses.forEach((address, usage) -> cidrList.add(usage.rule("cidr", address)));
        ArrayNode deny = doc.putObject("deny").putArray("ip_cidrs");
        DENIED_SPECIAL_BLOCKS.forEach(deny::add);
        doc.put("notes", "Drafted by clawstream policy suggest from " + observations.size()
                + " recorded decision(s): each rule allows what was observed, on the ports observed. Review, then sign.");
        List<String> skippedLines = new ArrayList<>();
        skipped.forEach((why, count) -> skippedLines.add(why + " (" + count + " time(s)): never allowed by a suggestion"));
        return new Suggestion(doc, skippedLines);
    }

    /** Subdomains of one registrable domain, two or more of them, merged under {@code *.<registrable>}. */
    private static Map<String, Usage> grouped(TreeMap<String, Usage> domains) {
        Map<String, List<String>> byOwner = new TreeMap<>();
        for (String host : domains.keySet()) {
            registrableParent(host).ifPresent(owner -> byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(host));
        }
        TreeMap<String, Usage> rules = new TreeMap<>(domains);
        byOwner.forEach((owner, hosts) -> {
            if (hosts.size() < 2) {
                return;
            }
            Usage merged = new Usage();
            for (String host : hosts) {
                merged.merge(rules.remove(host));
            }
            rules.put("*." + owner, merged);
        });
        return rules;
    }

    /**
     * The registrable domain {@code host} is a strict subdomain of, if it has one: not for an apex (a
     * wildcard does not match its apex), not for a public suffix itself, not for names under no suffix.
     */
    static Optional<String> registrableParent(String host) {
        InternetDomainName name;
        try {
            name = InternetDomainName.from(host);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!name.isUnderPublicSuffix()) {
            return Optional.empty();
        }
        InternetDomainName owner = name.topPrivateDomain();
        return owner.equals(name) ? Optional.empty() : Optional.of(owner.toString());
    }

    /** How a destination was used: ports, attempts per agent, jobs. */
    private static final class Usage {
        private final TreeSet<Integer> ports = new TreeSet<>();
        private final TreeMap<String, Integer> byAgent = new TreeMap<>();
        private final TreeSet<String> jobs = new TreeSet<>();
        private int count;

        void add(Observation o) {
            ports.add(o.port());
            byAgent.merge(o.agentId(), 1, Integer::sum);
            jobs.add(o.jobId());
            count++;
        }

        void merge(Usage other) {
            ports.addAll(other.ports);
            other.byAgent.forEach((agent, n) -> byAgent.merge(agent, n, Integer::sum));
            jobs.addAll(other.jobs);
            count += other.count;
        }

        ObjectNode rule(String key, String value) {
            ObjectNode rule = JsonNodeFactory.instance.objectNode();
            rule.put(key, value);
            ArrayNode portList = rule.putArray("ports");
            ports.forEach(portList::add);
            rule.put("note", note());
            return rule;
        }

        private String note() {
            List<Map.Entry<String, Integer>> agents = byAgent.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .toList();
            String named = agents.stream().limit(AGENTS_NAMED).map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", "));
            String more = agents.size() > AGENTS_NAMED ? " and " + (agents.size() - AGENTS_NAMED) + " more agent(s)" : "";
            return "observed " + count + " time(s) in " + jobs.size() + " job(s) by " + named + more;
        }
    }
}
