package dev.clawstream.enforcer.wpc;

import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** Reads {@code allow} and {@code deny}: domain patterns and CIDRs, each with its ports. */
final class EgressRulesReader {

    static final List<String> SIDE_FIELDS = List.of("domains", "ip_cidrs");
    // "note" is for people (why the rule exists, how often it was used): checked and hashed, never decided on.
    static final List<String> DENY_DOMAIN_FIELDS = List.of("pattern", "ports", "note");
    static final List<String> DENY_CIDR_FIELDS = List.of("cidr", "ports", "note");
    // Only an allow rule may be bound to an attestation: a deny that applied to some jobs only would be an
    // allow for the others, written where nobody looks for one.
    static final List<String> ALLOW_DOMAIN_FIELDS = List.of("pattern", "ports", "requires_attestation", "note");
    static final List<String> ALLOW_CIDR_FIELDS = List.of("cidr", "ports", "requires_attestation", "note");

    private EgressRulesReader() {
    }

    static EgressRules read(WpcValue root) {
        List<DomainRule> allowDomains = new ArrayList<>();
        List<DomainRule> denyDomains = new ArrayList<>();
        List<CidrRule> allowCidrs = new ArrayList<>();
        List<CidrRule> denyCidrs = new ArrayList<>();
        root.get("allow").ifPresentObject(SIDE_FIELDS, allow -> {
            readDomains(allow.get("domains"), ALLOW_DOMAIN_FIELDS, new Ports.SchemeDefault(), allowDomains);
            readCidrs(allow.get("ip_cidrs"), ALLOW_CIDR_FIELDS, new Ports.SchemeDefault(), allowCidrs);
        });
        root.get("deny").ifPresentObject(SIDE_FIELDS, deny -> {
            readDomains(deny.get("domains"), DENY_DOMAIN_FIELDS, new Ports.Every(), denyDomains);
            readCidrs(deny.get("ip_cidrs"), DENY_CIDR_FIELDS, new Ports.Every(), denyCidrs);
        });
        return new EgressRules(allowDomains, denyDomains, allowCidrs, denyCidrs);
    }

    private static void readDomains(WpcValue list, List<String> fields, Ports withoutPorts, List<DomainRule> into) {
        for (Entry entry : entries(list, "pattern", fields, withoutPorts)) {
            Optional<DomainPattern> pattern = entry.value().string()
                    .flatMap(raw -> DomainPattern.parse(raw).orReport(entry.value()::fault));
            if (pattern.isPresent() && entry.ports().isPresent()) {
                into.add(new DomainRule(pattern.get(), entry.ports().get(), entry.pointer(), entry.attestation()));
            }
        }
    }

    private static void readCidrs(WpcValue list, List<String> fields, Ports withoutPorts, List<CidrRule> into) {
        for (Entry entry : entries(list, "cidr", fields, withoutPorts)) {
            Optional<String> raw = entry.value().string();
            Optional<IPAddress> block = raw.flatMap(text -> CidrRule.parseBlock(text).orReport(entry.value()::fault));
            if (block.isPresent() && entry.ports().isPresent()) {
                into.add(new CidrRule(raw.get(), block.get(), entry.ports().get(), entry.pointer(), entry.attestation()));
            }
        }
    }

    /** A list entry, either the bare value or {@code {key: value, "ports": [...]}}, with its ports if valid. */
    private record Entry(WpcValue value, Optional<Ports> ports, String pointer, Optional<String> attestation) {
    }

    /** The well-formed entries of {@code list}; the others have been reported. */
    private static List<Entry> entries(WpcValue list, String key, List<String> fields, Ports withoutPorts) {
        List<Entry> entries = new ArrayList<>();
        if (!list.present()) {
            return entries;
        }
        for (WpcValue entry : list.elements()) {
            if (!entry.json().isObject()) {
                entries.add(new Entry(entry, Optional.of(withoutPorts), entry.pointer(), Optional.empty()));
                continue;
            }
            if (!entry.object(fields)) {
                continue;
            }
            entry.get("note").optionalName();
            WpcValue value = entry.get(key);
            Optional<Ports> ports = ports(entry.get("ports"), withoutPorts);
            WpcValue required = entry.get("requires_attestation");
            Optional<String> attestation = required.present() ? required.name() : Optional.empty();
            if (!value.present()) {
                value.fault("required field is missing");
            } else {
                entries.add(new Entry(value, ports, entry.pointer(), attestation));
            }
        }
        return entries;
    }

    private static Optional<Ports> ports(WpcValue list, Ports withoutPorts) {
        if (!list.present()) {
            return Optional.of(withoutPorts);
        }
        List<WpcValue> elements = list.elements();
        if (list.json().isArray() && elements.isEmpty()) {
            list.fault("an empty port list would cover no port; omit \"ports\" for the default");
            return Optional.empty();
        }
        TreeSet<Integer> ports = new TreeSet<>();
        boolean valid = list.json().isArray();
        for (WpcValue element : elements) {
            var port = element.port();
            if (port.isEmpty()) {
                valid = false;
            } else if (!ports.add(port.getAsInt())) {
                element.fault("port " + port.getAsInt() + " is listed twice");
                valid = false;
            }
        }
        return valid ? Optional.of(new Ports.Listed(List.copyOf(ports))) : Optional.empty();
    }
}
