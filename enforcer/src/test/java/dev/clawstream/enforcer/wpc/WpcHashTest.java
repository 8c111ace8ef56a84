package dev.clawstream.enforcer.wpc;

import dev.clawstream.enforcer.canonical.Sha256Hash;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The WPC hash names the policy, not its formatting. */
class WpcHashTest {

    // Computed independently: python3 json.dumps(sort_keys=True, separators=(',', ':')) equals JCS for this
    // ASCII, integer-only document; its SHA-256 via hashlib.
    private static final String EGRESS_ALLOWLIST_HASH =
            "sha256:8028bb7cdf2f52f3ae844de939d8b705872fc9814d23bff166db4c26ec76d4e7";

    private static final String POLICY = """
            {
              "name": "h",
              "default": "deny",
              "allow": { "domains": [ { "pattern": "api.openai.com", "ports": [443] } ] }
            }
            """;

    @Test
    void sameHashWhateverTheWhitespaceKeyOrderOrEscaping() {
        String reformatted = "{\"allow\":{\"domains\":[{\"ports\":[443],\"pattern\":\"api.open\\u0061i.com\"}]},"
                + "\"default\":\"deny\",\"name\":\"h\"}";

        assertThat(hash(reformatted)).isEqualTo(hash(POLICY));
    }

    @Test
    void differentHashForAnyChangeOfMeaning() {
        assertThat(hash(POLICY.replace("[443]", "[443, 8443]"))).isNotEqualTo(hash(POLICY));
        assertThat(hash(POLICY.replace("api.openai.com", "*.openai.com"))).isNotEqualTo(hash(POLICY));
        assertThat(hash(POLICY.replace("\"h\"", "\"h2\""))).isNotEqualTo(hash(POLICY));
    }

    @Test
    void hashIsPinnedForTheSampleSoOtherImplementationsCanCheckThemselves() {
        WpcDocument document = WpcParserSamplesTest.valid("egress-allowlist.json").document();

        assertThat(document.canonicalText()).isEqualTo("{\"allow\":{\"domains\":[{\"pattern\":\"api.openai.com\","
                + "\"ports\":[443]},{\"pattern\":\"*.openrouter.ai\",\"ports\":[443]},{\"pattern\":\"github.com\","
                + "\"ports\":[443]}],\"ip_cidrs\":[\"93.184.216.34/32\",\"151.101.0.0/16\"]},\"control\":"
                + "\"egress_allowlist\",\"default\":\"deny\",\"deny\":{\"ip_cidrs\":[\"10.0.0.0/8\",\"172.16.0.0/12\","
                + "\"192.168.0.0/16\",\"169.254.169.254/32\"]},\"name\":\"egress-allowlist\",\"notes\":\"Enforce at "
                + "sandbox/egress proxy. Fail closed if enforcement unavailable.\",\"wpc_version\":\"v1\"}");
        assertThat(document.hash().toString()).isEqualTo(EGRESS_ALLOWLIST_HASH);
    }

    private static Sha256Hash hash(String text) {
        WpcParseResult result = WpcParser.parse(text, "h.json");
        assertThat(result).isInstanceOf(WpcParseResult.Valid.class);
        return ((WpcParseResult.Valid) result).document().hash();
    }
}
