package dev.clawstream.enforcer.wpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.clawstream.schemas.PolicyMode;
import inet.ipaddr.IPAddressString;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Any valid WPC, written out as JSON in any of the accepted shapes, parses back to the same model. */
class WpcRoundTripPropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 300)
    void anyValidDocumentParsesBackToItsModel(@ForAll("wpcs") Wpc wpc, @ForAll boolean pretty) throws Exception {
        ObjectNode document = toJson(wpc);
        String text = pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document) : document.toString();

        WpcParseResult result = WpcParser.parse(text, "generated.json");

        assertThat(result).isInstanceOf(WpcParseResult.Valid.class);
        assertThat(((WpcParseResult.Valid) result).wpc()).isEqualTo(wpc);
    }

    @Provide
    Arbitrary<Wpc> wpcs() {
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<DomainPattern> pattern = Combinators.combine(
                Arbitraries.of(true, false), label.list().ofMinSize(2).ofMaxSize(4)).as((wildcard, labels) -> {
                    String name = String.join(".", labels);
                    return new DomainPattern(wildcard ? "*." + name : name, wildcard, name);
                });
        Arbitrary<Ports> ports = Arbitraries.oneOf(
                Arbitraries.just(new Ports.SchemeDefault()),
                Arbitraries.integers().between(Ports.MIN, Ports.MAX).set().ofMinSize(1).ofMaxSize(3)
                        .map(set -> new Ports.Listed(set.stream().sorted().toList())));
        Arbitrary<String> cidr = Combinators.combine(
                Arbitraries.integers().between(0, 255).list().ofSize(4), Arbitraries.integers().between(0, 32))
                .as((octets, prefix) -> new IPAddressString(octets.get(0) + "." + octets.get(1) + "." + octets.get(2)
                        + "." + octets.get(3)).getAddress().toPrefixBlock(prefix).toCanonicalString());
        Arbitrary<String> tool = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
        return Combinators.combine(
                label, Arbitraries.of(PolicyMode.ENFORCE, PolicyMode.MONITOR),
                Combinators.combine(pattern, ports).as(Spec::new).list().ofMaxSize(4),
                pattern.list().ofMaxSize(3),
                Combinators.combine(cidr, ports).as(Spec::new).list().ofMaxSize(3),
                cidr.list().ofMaxSize(3),
                Combinators.combine(tool.list().ofMaxSize(3), tool.list().ofMaxSize(3), Arbitraries.of(true, false))
                        .as(List::of))
                .as((name, mode, allowDomains, denyDomains, allowCidrs, denyCidrs, toolsAndFlag) -> {
                    @SuppressWarnings("unchecked")
                    List<String> allowTools = (List<String>) toolsAndFlag.get(0);
                    @SuppressWarnings("unchecked")
                    List<String> denyTools = (List<String>) toolsAndFlag.get(1);
                    boolean denyOnUnknown = (Boolean) toolsAndFlag.get(2);
                    return new Wpc(name, Optional.empty(), mode, DefaultAction.DENY,
                            new EgressRules(
                                    indexed(allowDomains, (s, i) -> new DomainRule((DomainPattern) s.value(), s.ports(), "/allow/domains/" + i)),
                                    indexed(denyDomains, (p, i) -> new DomainRule(p, new Ports.Every(), "/deny/domains/" + i)),
                                    indexed(allowCidrs, (s, i) -> cidrRule((String) s.value(), s.ports(), "/allow/ip_cidrs/" + i)),
                                    indexed(denyCidrs, (c, i) -> cidrRule(c, new Ports.Every(), "/deny/ip_cidrs/" + i))),
                            new ModelRules(List.of(), List.of(), denyOnUnknown),
                            new ToolRules(indexed(allowTools, (t, i) -> new ToolRule(t, "/tools/allow/" + i)),
                                    indexed(denyTools, (t, i) -> new ToolRule(t, "/tools/deny/" + i)), List.of()),
                            DataHandling.NONE, List.of());
                });
    }

    private record Spec(Object value, Ports ports) {
    }

    private static CidrRule cidrRule(String cidr, Ports ports, String pointer) {
        return new CidrRule(cidr, new IPAddressString(cidr).getAddress(), ports, pointer);
    }

    private static <S, T> List<T> indexed(List<S> sources, java.util.function.BiFunction<S, Integer, T> rule) {
        List<T> rules = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            rules.add(rule.apply(sources.get(i), i));
        }
        return rules;
    }

    /** The writer under test's mirror: object shapes where a rule has ports, bare strings where not. */
    private static ObjectNode toJson(Wpc wpc) {
        ObjectNode root = JSON.createObjectNode();
        root.put("name", wpc.name());
        root.put("mode", wpc.mode() == PolicyMode.MONITOR ? "monitor" : "enforce");
        root.put("default", "deny");
        ObjectNode allow = root.putObject("allow");
        ArrayNode allowDomains = allow.putArray("domains");
        wpc.egress().allowDomains().forEach(rule -> withPorts(allowDomains, "pattern", rule.pattern().raw(), rule.ports()));
        ArrayNode allowCidrs = allow.putArray("ip_cidrs");
        wpc.egress().allowCidrs().forEach(rule -> withPorts(allowCidrs, "cidr", rule.raw(), rule.ports()));
        ObjectNode deny = root.putObject("deny");
        ArrayNode denyDomains = deny.putArray("domains");
        wpc.egress().denyDomains().forEach(rule -> denyDomains.add(rule.pattern().raw()));
        ArrayNode denyCidrs = deny.putArray("ip_cidrs");
        wpc.egress().denyCidrs().forEach(rule -> denyCidrs.addObject().put("cidr", rule.raw()));
        root.putObject("requirements").put("deny_on_unknown_model", wpc.models().denyOnUnknownModel());
        ObjectNode tools = root.putObject("tools");
        ArrayNode allowTools = tools.putArray("allow");
        wpc.tools().allow().forEach(rule -> allowTools.add(rule.tool()));
        ArrayNode denyTools = tools.putArray("deny");
        wpc.tools().deny().forEach(rule -> denyTools.add(rule.tool()));
        return root;
    }

    private static void withPorts(ArrayNode into, String key, String value, Ports ports) {
        if (ports instanceof Ports.Listed listed) {
            ObjectNode entry = into.addObject().put(key, value);
            listed.ports().forEach(entry.putArray("ports")::add);
        } else {
            into.add(value);
        }
    }
}
