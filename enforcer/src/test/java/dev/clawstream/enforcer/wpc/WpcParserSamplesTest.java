package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import dev.clawstream.schemas.PolicyMode;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed-shaped documents in test resources/wpc are accepted and read into the model they describe. */
class WpcParserSamplesTest {

    @Test
    void readsTheEgressAllowlistSeed() {
        Wpc wpc = valid("egress-allowlist.json").wpc();

        assertThat(wpc.name()).isEqualTo("egress-allowlist");
        assertThat(wpc.mode()).isEqualTo(PolicyMode.ENFORCE);
        assertThat(wpc.defaultAction()).isEqualTo(DefaultAction.DENY);
        assertThat(wpc.egress().allowDomains()).containsExactly(
                new DomainRule(new DomainPattern("api.openai.com", false, "api.openai.com"),
                        new Ports.Listed(List.of(443)), "/allow/domains/0"),
                new DomainRule(new DomainPattern("*.openrouter.ai", true, "openrouter.ai"),
                        new Ports.Listed(List.of(443)), "/allow/domains/1"),
                new DomainRule(new DomainPattern("github.com", false, "github.com"),
                        new Ports.Listed(List.of(443)), "/allow/domains/2"));
        assertThat(wpc.egress().allowCidrs()).extracting(CidrRule::raw, CidrRule::pointer).containsExactly(
                org.assertj.core.groups.Tuple.tuple("93.184.216.34/32", "/allow/ip_cidrs/0"),
                org.assertj.core.groups.Tuple.tuple("151.101.0.0/16", "/allow/ip_cidrs/1"));
        assertThat(wpc.egress().denyCidrs()).extracting(rule -> rule.block().toCanonicalString())
                .containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.169.254/32");
        assertThat(wpc.egress().denyCidrs()).allSatisfy(rule -> assertThat(rule.ports()).isEqualTo(new Ports.Every()));
    }

    @Test
    void readsTheModelAllowlistSeed() {
        Wpc wpc = valid("model-allowlist.json").wpc();

        assertThat(wpc.models().providers()).containsExactly(new ProviderRule("openrouter_via_fal", "/allowed/providers/0"));
        assertThat(wpc.models().models()).containsExactly(
                new ModelRule("openrouter:anthropic/claude-3.5-sonnet", Optional.of("openrouter"),
                        "anthropic/claude-3.5-sonnet", "/allowed/models/0"),
                new ModelRule("openrouter:openai/gpt-4o-mini", Optional.of("openrouter"),
                        "openai/gpt-4o-mini", "/allowed/models/1"));
        assertThat(wpc.models().denyOnUnknownModel()).isTrue();
    }

    @Test
    void readsTheOpenClawToolPolicySeed() {
        Wpc wpc = valid("tool-policy.json").wpc();

        assertThat(wpc.tools().allow()).extracting(ToolRule::tool).containsExactly("read", "search", "http_get");
        assertThat(wpc.tools().deny()).containsExactly(
                new ToolRule("exec", "/openclaw/tools/deny/0"), new ToolRule("write", "/openclaw/tools/deny/1"),
                new ToolRule("edit", "/openclaw/tools/deny/2"), new ToolRule("apply_patch", "/openclaw/tools/deny/3"));
        assertThat(wpc.tools().elevated()).isEmpty();
        assertThat(wpc.dataHandling().redact()).containsExactly("secrets", "tokens");
        assertThat(wpc.egress()).isEqualTo(EgressRules.NONE);
    }

    @Test
    void readsTheCombinedDocument() {
        Wpc wpc = valid("combined.json").wpc();

        assertThat(wpc.version()).contains("2026-11-01.3");
        assertThat(wpc.mode()).isEqualTo(PolicyMode.MONITOR);
        assertThat(wpc.extendsHashes()).containsExactly(
                Sha256Hash.parse("sha256:0000000000000000000000000000000000000000000000000000000000000001"));
        assertThat(wpc.egress().allowDomains()).extracting(rule -> rule.pattern().name(), DomainRule::ports)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("api.openai.com", new Ports.Listed(List.of(443))),
                        org.assertj.core.groups.Tuple.tuple("openrouter.ai", new Ports.Listed(List.of(443, 8443))),
                        org.assertj.core.groups.Tuple.tuple("pypi.org", new Ports.SchemeDefault()),
                        org.assertj.core.groups.Tuple.tuple("api.anthropic.com", new Ports.SchemeDefault()));
        assertThat(wpc.egress().allowDomains().get(3).pattern().raw()).isEqualTo("API.Anthropic.com");
        assertThat(wpc.egress().denyDomains()).extracting(DomainRule::pointer, DomainRule::ports).containsExactly(
                org.assertj.core.groups.Tuple.tuple("/deny/domains/0", new Ports.Every()),
                org.assertj.core.groups.Tuple.tuple("/deny/domains/1", new Ports.Every()));
        assertThat(wpc.egress().allowCidrs().get(1).block()).isEqualTo(new IPAddressString("2001:db8::/32").getAddress());
        assertThat(wpc.egress().allowCidrs().get(1).ports()).isEqualTo(new Ports.Listed(List.of(443)));
        assertThat(wpc.egress().denyCidrs().get(1).block().toCanonicalString()).isEqualTo("169.254.169.254/32");
        assertThat(wpc.models().models().get(1)).isEqualTo(new ModelRule("gpt-4o", Optional.empty(), "gpt-4o", "/allowed/models/1"));
        assertThat(wpc.models().denyOnUnknownModel()).isFalse();
        assertThat(wpc.tools().elevated()).containsExactly(new ToolRule("http_get", "/tools/elevated/0"));
    }

    @Test
    void documentHashIsOverTheCanonicalBytes() {
        WpcParseResult.Valid valid = valid("egress-allowlist.json");

        assertThat(valid.document().hash()).isEqualTo(Sha256Hash.of(valid.document().canonicalBytes()));
        assertThat(valid.document().canonicalText()).startsWith("{\"allow\":{\"domains\":[{\"pattern\":\"api.openai.com\"");
    }

    static WpcParseResult.Valid valid(String resource) {
        WpcParseResult result = WpcParser.parse(read("wpc/" + resource), resource);
        assertThat(result).isInstanceOf(WpcParseResult.Valid.class);
        return (WpcParseResult.Valid) result;
    }

    static String read(String resource) {
        try (InputStream in = WpcParserSamplesTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
