package dev.clawstream.topology.authoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.enforcer.wpc.Checked;
import dev.clawstream.enforcer.wpc.CidrRule;
import dev.clawstream.enforcer.wpc.DomainPattern;
import dev.clawstream.enforcer.wpc.DomainRule;
import dev.clawstream.enforcer.wpc.Wpc;
import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One change to a WPC's allowlist, as {@code clawstream egress add|remove} makes it: a pure function from
 * the current document to the next one. Only {@code allow.domains} / {@code allow.ip_cidrs} change;
 * everything else the author wrote (deny rules, models, tools, notes) is carried over untouched.
 */
public final class AllowlistEdit {

    /** The port {@code add} allows when none is given: HTTPS, as the seeds' default allowlist. */
    public static final int DEFAULT_PORT = 443;

    /** The destination named on the command line: a domain pattern or a CIDR. */
    public sealed interface Target {
        /** The allow list it lives in: {@code domains} or {@code ip_cidrs}. */
        String list();

        /** The entry's key field: {@code pattern} or {@code cidr}. */
        String key();

        /** The value written into the document. */
        String text();

        /** Whether {@code written} (an entry's pattern or CIDR as the document has it) names this target. */
        boolean sameAs(String written);

        /** Why allowing it would open a special-purpose destination, if it would. */
        Optional<String> whySpecial();
    }

    record DomainTarget(DomainPattern pattern) implements Target {
        public String list() {
            return "domains";
        }

        public String key() {
            return "pattern";
        }

        public String text() {
            return (pattern.wildcard() ? "*." : "") + pattern.name();
        }

        public boolean sameAs(String written) {
            return DomainPattern.parse(written) instanceof Checked.Ok<DomainPattern> ok
                    && ok.value().wildcard() == pattern.wildcard() && ok.value().name().equals(pattern.name());
        }

        public Optional<String> whySpecial() {
            return SpecialDestinations.whyNameIsSpecial(pattern.name());
        }
    }

    record CidrTarget(String raw, IPAddress block) implements Target {
        public String list() {
            return "ip_cidrs";
        }

        public String key() {
            return "cidr";
        }

        public String text() {
            return raw;
        }

        public boolean sameAs(String written) {
            return CidrRule.parseBlock(written) instanceof Checked.Ok<IPAddress> ok && ok.value().equals(block);
        }

        public Optional<String> whySpecial() {
            return SpecialDestinations.whyBlockIsSpecial(raw, block);
        }
    }

    private AllowlistEdit() {
    }

    /**
     * Reads a destination as the WPC parser would: anything that looks like an address is a CIDR, the
     * rest a domain pattern.
     *
     * @throws IllegalArgumentException with the parser's reason when it is neither
     */
    public static Target target(String text) {
        boolean looksLikeAddress = text.contains(":") || text.matches("[0-9./]+");
        if (looksLikeAddress) {
            Checked<IPAddress> block = CidrRule.parseBlock(text);
            if (block instanceof Checked.Problem<IPAddress> problem) {
                throw new IllegalArgumentException(problem.message());
            }
            return new CidrTarget(text, ((Checked.Ok<IPAddress>) block).value());
        }
        Checked<DomainPattern> pattern = DomainPattern.parse(text);
        if (pattern instanceof Checked.Problem<DomainPattern> problem) {
            throw new IllegalArgumentException(problem.message());
        }
        return new DomainTarget(((Checked.Ok<DomainPattern>) pattern).value());
    }

    /**
     * The document with {@code target} allowed on {@code port}.
     *
     * @throws IllegalArgumentException when it is allowed on that port already (a new version would change nothing)
     */
    public static ObjectNode add(JsonNode document, Target target, int port) {
        ObjectNode next = document.deepCopy();
        ArrayNode list = allowList(next, target);
        for (JsonNode entry : list) {
            if (target.sameAs(written(entry, target)) && covers(entry, port)) {
                throw new IllegalArgumentException(target.text() + " is allowed on port " + port + " already");
            }
        }
        for (JsonNode entry : list) {
            if (entry.isObject() && entry.has("ports") && target.sameAs(written(entry, target))) {
                TreeSet<Integer> ports = ports(entry);
                ports.add(port);
                ArrayNode portList = ((ObjectNode) entry).putArray("ports");
                ports.forEach(portList::add);
                return next;
            }
        }
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put(target.key(), target.text());
        rule.putArray("ports").add(port);
        list.add(rule);
        return next;
    }

    /**
     * The document without {@code target} on {@code port}, or without it at all when no port is given.
     *
     * @throws IllegalArgumentException when the allowlist has no such entry
     */
    public static ObjectNode remove(JsonNode document, Target target, Optional<Integer> port) {
        ObjectNode next = document.deepCopy();
        ArrayNode list = allowList(next, target);
        boolean changed = false;
        List<String> portless = new ArrayList<>();
        for (Iterator<JsonNode> it = list.iterator(); it.hasNext(); ) {
            JsonNode entry = it.next();
            if (!target.sameAs(written(entry, target))) {
                continue;
            }
            if (port.isEmpty()) {
                it.remove();
                changed = true;
            } else if (entry.isObject() && entry.has("ports")) {
                TreeSet<Integer> ports = ports(entry);
                if (ports.remove(port.get())) {
                    changed = true;
                    if (ports.isEmpty()) {
                        it.remove();
                    } else {
                        ArrayNode portList = ((ObjectNode) entry).putArray("ports");
                        ports.forEach(portList::add);
                    }
                }
            } else {
                portless.add(written(entry, target));
            }
        }
        if (!changed && !portless.isEmpty()) {
            throw new IllegalArgumentException(target.text() + " is allowed on its scheme's default port, not on listed"
                    + " ports; remove it without --port");
        }
        if (!changed) {
            throw new IllegalArgumentException(target.text() + port.map(p -> " port " + p).orElse("")
                    + " is not in allow." + target.list());
        }
        return next;
    }

    /**
     * The deny rules of {@code wpc} that still cover (part of) {@code target}: deny wins over allow
     * (docs/wpc.md), so an author who allows {@code 10.20.0.0/16} under a {@code 10.0.0.0/8} deny has
     * changed the hash but not the traffic, and should be told.
     */
    public static List<String> shadowingDenyRules(Wpc wpc, Target target) {
        List<String> rules = new ArrayList<>();
        if (target instanceof CidrTarget cidr) {
            for (CidrRule deny : wpc.egress().denyCidrs()) {
                if (deny.block().contains(cidr.block()) || cidr.block().contains(deny.block())) {
                    rules.add(deny.pointer() + " " + deny.raw());
                }
            }
        } else {
            DomainPattern pattern = ((DomainTarget) target).pattern();
            for (DomainRule deny : wpc.egress().denyDomains()) {
                DomainPattern d = deny.pattern();
                boolean covers = d.name().equals(pattern.name()) && (d.wildcard() == pattern.wildcard())
                        || d.wildcard() && pattern.name().endsWith("." + d.name())
                        || pattern.wildcard() && d.name().endsWith("." + pattern.name());
                if (covers) {
                    rules.add(deny.pointer() + " " + d.raw());
                }
            }
        }
        return rules;
    }

    private static ArrayNode allowList(ObjectNode document, Target target) {
        ObjectNode allow = document.has("allow") ? (ObjectNode) document.get("allow") : document.putObject("allow");
        return allow.has(target.list()) ? (ArrayNode) allow.get(target.list()) : allow.putArray(target.list());
    }

    private static String written(JsonNode entry, Target target) {
        return entry.isTextual() ? entry.textValue() : entry.path(target.key()).asText();
    }

    /** A portless allow entry covers the scheme's default port: 443 for the HTTPS traffic {@code add} is about. */
    private static boolean covers(JsonNode entry, int port) {
        return entry.isObject() && entry.has("ports") ? ports(entry).contains(port) : port == DEFAULT_PORT;
    }

    private static TreeSet<Integer> ports(JsonNode entry) {
        TreeSet<Integer> ports = new TreeSet<>();
        entry.get("ports").forEach(p -> ports.add(p.intValue()));
        return ports;
    }
}
