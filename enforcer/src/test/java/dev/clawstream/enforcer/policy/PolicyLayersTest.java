package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.enforcer.destination.DestinationParser;
import dev.clawstream.enforcer.wpc.WpcParseResult;
import dev.clawstream.enforcer.wpc.WpcParser;
import dev.clawstream.schemas.PolicyMode;
import dev.clawstream.schemas.ReasonCode;
import dev.clawstream.schemas.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Layers: organisation → workload class → agent; allows intersect, denies add, enforce anywhere wins. */
class PolicyLayersTest {

    static final String ORG = """
            {"name": "org", "default": "deny",
             "allow": {"domains": ["*.github.com", "api.openai.com", "pypi.org", "pkg.go.dev"],
                       "ip_cidrs": [{"cidr": "203.0.113.0/24", "ports": [443]}]},
             "deny": {"domains": ["gist.github.com"], "ip_cidrs": ["10.0.0.0/8"]},
             "allowed": {"models": ["openai/gpt-4o-mini", "openai/gpt-4o"]}}""";

    private final Map<Sha256Hash, CompiledPolicy> catalog = new HashMap<>();

    @Test
    void aLowerLayerOnlyNarrowsWhatTheOrganisationAllows() throws Exception {
        CompiledPolicy org = publish(ORG);
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s"],
                 "allow": {"domains": ["api.github.com", "api.openai.com", "attacker.com"]},
                 "allowed": {"models": ["openai/gpt-4o-mini", "mistral/large"]}}""".formatted(org.hash()));

        CompiledPolicy effective = resolve(agent);

        assertThat(verdict(effective, "https://api.github.com/")).isEqualTo(Verdict.ALLOW);
        // The organisation allows it, the agent's layer does not: not allowed.
        assertThat(decide(effective, "https://pypi.org/").reason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        // The agent's layer allows it, the organisation does not: a lower layer cannot widen.
        assertThat(decide(effective, "https://attacker.com/").reason()).isEqualTo(ReasonCode.DEFAULT_DENY);
        assertThat(effective.decideModelCall("openai", "openai/gpt-4o-mini").verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(effective.decideModelCall("openai", "openai/gpt-4o").verdict()).isEqualTo(Verdict.DENY);
        assertThat(effective.decideModelCall("mistral", "mistral/large").verdict()).isEqualTo(Verdict.DENY);
    }

    @Test
    void anyLayersDenialDeniesAndNamesTheLayer() throws Exception {
        CompiledPolicy org = publish(ORG);
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s"],
                 "allow": {"domains": ["*.github.com", "gist.github.com", "api.openai.com"]},
                 "deny": {"domains": ["api.openai.com"]}}""".formatted(org.hash()));

        CompiledPolicy effective = resolve(agent);

        PolicyDecision gist = decide(effective, "https://gist.github.com/");
        assertThat(gist.reason()).isEqualTo(ReasonCode.DENIED_DOMAIN);
        assertThat(gist.matchedRule()).contains(org.hash() + "#/deny/domains/0");
        PolicyDecision openai = decide(effective, "https://api.openai.com/");
        assertThat(openai.reason()).isEqualTo(ReasonCode.DENIED_DOMAIN);
        assertThat(openai.matchedRule()).contains(agent.hash() + "#/deny/domains/0");
        assertThat(decide(effective, "https://raw.github.com/").matchedRule()).contains(agent.hash() + "#/allow/domains/0");
    }

    @Test
    void anExplicitDenialInALaterLayerBeatsADefaultDenyInAnEarlierOne() throws Exception {
        CompiledPolicy org = publish("""
                {"name": "org", "default": "deny", "allow": {"domains": ["a.example.com"]}}""");
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s"], "deny": {"domains": ["b.example.com"]}}"""
                .formatted(org.hash()));

        assertThat(decide(resolve(agent), "https://b.example.com/").reason()).isEqualTo(ReasonCode.DENIED_DOMAIN);
    }

    @Test
    void theEffectiveHashIsTheSha256OfTheCanonicalListOfLayerHashes() throws Exception {
        CompiledPolicy org = publish(ORG);
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s"]}""".formatted(org.hash()));

        CompiledPolicy effective = resolve(agent);

        assertThat(effective.layerHashes()).containsExactly(org.hash(), agent.hash());
        assertThat(effective.hash()).isEqualTo(agent.hash());
        String canonical = "[\"" + org.hash() + "\",\"" + agent.hash() + "\"]";
        String expected = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(effective.effectiveHash()).hasToString(expected);
        assertThat(org.layerHashes()).containsExactly(org.hash());
    }

    @Test
    void layersAreOrderedDepthFirstAndADiamondPlacesTheSharedLayerOnce() throws Exception {
        CompiledPolicy org = publish(ORG);
        CompiledPolicy classA = publish("""
                {"name": "class-a", "default": "deny", "extends": ["%s"]}""".formatted(org.hash()));
        CompiledPolicy classB = publish("""
                {"name": "class-b", "default": "deny", "extends": ["%s"]}""".formatted(org.hash()));
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s", "%s"]}""".formatted(classA.hash(), classB.hash()));

        assertThat(resolve(agent).layerHashes()).containsExactly(org.hash(), classA.hash(), classB.hash(), agent.hash());
    }

    @Test
    void aMissingLayerFailsClosed() throws Exception {
        Sha256Hash unknown = Sha256Hash.parse("sha256:" + "ab".repeat(32));
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "extends": ["%s"], "allow": {"domains": ["pypi.org"]}}"""
                .formatted(unknown));

        assertThatThrownBy(() -> resolve(agent)).isInstanceOfSatisfying(PolicyLayers.LayerException.class, e -> {
            assertThat(e.reason()).isEqualTo(ReasonCode.WPC_LAYER_MISSING);
            assertThat(e.getMessage()).contains(unknown.toString());
        });
    }

    @Test
    void aCycleFailsClosed() throws Exception {
        // Real hashes cannot form a cycle; a catalog that files documents under other hashes could.
        Sha256Hash a = Sha256Hash.parse("sha256:" + "0a".repeat(32));
        Sha256Hash b = Sha256Hash.parse("sha256:" + "0b".repeat(32));
        catalog.put(a, compileAs("{\"name\": \"a\", \"default\": \"deny\", \"extends\": [\"" + b + "\"]}", a));
        catalog.put(b, compileAs("{\"name\": \"b\", \"default\": \"deny\", \"extends\": [\"" + a + "\"]}", b));

        assertThatThrownBy(() -> resolve(catalog.get(a))).isInstanceOfSatisfying(PolicyLayers.LayerException.class,
                e -> assertThat(e.reason()).isEqualTo(ReasonCode.WPC_LAYER_INVALID));
    }

    @Test
    void tooManyLayersFailClosed() throws Exception {
        CompiledPolicy top = publish(ORG);
        for (int i = 0; i < PolicyLayers.MAX_LAYERS; i++) {
            top = publish("{\"name\": \"l" + i + "\", \"default\": \"deny\", \"extends\": [\"" + top.hash() + "\"]}");
        }
        CompiledPolicy tooDeep = top;

        assertThatThrownBy(() -> resolve(tooDeep)).isInstanceOfSatisfying(PolicyLayers.LayerException.class,
                e -> assertThat(e.reason()).isEqualTo(ReasonCode.WPC_LAYER_INVALID));
    }

    @Test
    void monitorOnlyWhenEveryLayerMonitors() throws Exception {
        CompiledPolicy orgMonitor = publish(ORG.replace("\"default\": \"deny\"", "\"default\": \"deny\", \"mode\": \"monitor\""));
        CompiledPolicy orgEnforce = publish(ORG);
        String agent = """
                {"name": "agent", "default": "deny", "mode": "%s", "extends": ["%s"], "allow": {"domains": ["pypi.org"]}}""";

        assertThat(resolve(publish(agent.formatted("monitor", orgMonitor.hash()))).mode()).isEqualTo(PolicyMode.MONITOR);
        // An agent's layer cannot switch the organisation's enforcement off...
        assertThat(resolve(publish(agent.formatted("monitor", orgEnforce.hash()))).mode()).isEqualTo(PolicyMode.ENFORCE);
        // ...and may switch it on.
        assertThat(resolve(publish(agent.formatted("enforce", orgMonitor.hash()))).mode()).isEqualTo(PolicyMode.ENFORCE);
    }

    @Test
    void aLayeredMonitorPolicyLetsThroughOnlyWhatNoLayerDeniesExplicitly() throws Exception {
        CompiledPolicy org = publish(ORG.replace("\"default\": \"deny\"", "\"default\": \"deny\", \"mode\": \"monitor\""));
        CompiledPolicy agent = publish("""
                {"name": "agent", "default": "deny", "mode": "monitor", "extends": ["%s"]}""".formatted(org.hash()));
        CompiledPolicy effective = resolve(agent);

        PolicyDecision unknown = decide(effective, "https://pypi.org/");
        assertThat(unknown.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(unknown.reason()).isEqualTo(ReasonCode.MONITOR_MODE);
        assertThat(unknown.wouldBeReason()).contains(ReasonCode.DEFAULT_DENY);
        assertThat(decide(effective, "https://gist.github.com/").verdict()).isEqualTo(Verdict.DENY);
    }

    private PolicyDecision decide(CompiledPolicy policy, String url) {
        return policy.decideEgress(DestinationParser.parseUrl(url), Optional.empty(), Optional.empty(), Set.of());
    }

    private Verdict verdict(CompiledPolicy policy, String url) {
        return decide(policy, url).verdict();
    }

    private CompiledPolicy resolve(CompiledPolicy leaf) throws PolicyLayers.LayerException {
        return PolicyLayers.resolve(leaf, h -> Optional.ofNullable(catalog.get(h)));
    }

    private CompiledPolicy publish(String json) {
        CompiledPolicy policy = CompiledPolicyTest.compile(json);
        catalog.put(policy.hash(), policy);
        return policy;
    }

    private static CompiledPolicy compileAs(String json, Sha256Hash hash) {
        WpcParseResult.Valid valid = (WpcParseResult.Valid) WpcParser.parse(json, "test.json");
        return CompiledPolicy.compile(valid.wpc(), hash);
    }

}
