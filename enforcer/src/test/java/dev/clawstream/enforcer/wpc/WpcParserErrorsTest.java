package dev.clawstream.enforcer.wpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal of docs/wpc.md, asserted as the exact text an author sees. */
class WpcParserErrorsTest {

    private static final String HEAD = "{\n  \"name\": \"t\",\n  \"default\": \"deny\",\n";

    @Test
    void deniesPrefixLongerThanTheAddress() {
        assertThat(errors(HEAD + """
                  "deny": {
                    "ip_cidrs": ["10.0.0.0/33"]
                  }
                }
                """)).containsExactly("wpc.json:5:18 $.deny.ip_cidrs[0]: prefix length 33 > 32");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "2001:db8::/129       | prefix length 129 > 128",
            "10.0.0.1/8           | host bits set in 10.0.0.1/8; the block is 10.0.0.0/8",
            "010.0.0.0/8          | \"010.0.0.0\": octets are 0-255 without leading zeros (some parsers read 010 as octal)",
            "10.0.0.256/32        | \"10.0.0.256\" is not a valid IPv4 address",
            "10.1/16              | \"10.1/16\" is not an IPv4 or IPv6 CIDR",
            "0x0a.0.0.0/8         | \"0x0a.0.0.0/8\" is not an IPv4 or IPv6 CIDR",
            "fe80::1%eth0/128     | \"fe80::1%eth0/128\" is not an IPv4 or IPv6 CIDR",
            "10.0.0.0/08          | prefix length \"08\" is not a decimal number",
            "10.0.0.0/            | prefix length \"\" is not a decimal number",
            "gggg::/16            | \"gggg::/16\" is not an IPv4 or IPv6 CIDR",
            "1:2:3:4:5:6:7:8:9/64 | \"1:2:3:4:5:6:7:8:9\" is not a valid IPv6 address",
    })
    void deniesBadCidrs(String cidr, String message) {
        assertThat(errors(HEAD + "  \"allow\": {\"ip_cidrs\": [\"" + cidr + "\"]}\n}"))
                .containsExactly("wpc.json:4:26 $.allow.ip_cidrs[0]: " + message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                       | empty pattern",
            "*                        | a bare * would allow every host; list the hosts instead",
            "*.com                    | \"*.com\" would allow a whole top-level domain",
            "api.*.example.com        | wildcard in \"api.*.example.com\" is allowed only as a leading \"*.\" (*.example.com)",
            "*example.com             | wildcard in \"*example.com\" is allowed only as a leading \"*.\" (*.example.com)",
            "*.*.example.com          | wildcard in \"*.*.example.com\" is allowed only as a leading \"*.\" (*.example.com)",
            "example.*                | wildcard in \"example.*\" is allowed only as a leading \"*.\" (*.example.com)",
            "https://api.openai.com   | \"https://api.openai.com\" is a URL; a pattern is a host name, without scheme",
            "api.openai.com/v1        | \"api.openai.com/v1\" has a path; a pattern is a host name only",
            "api.openai.com:443       | ':' in \"api.openai.com:443\": ports go in \"ports\", IPv6 addresses in ip_cidrs",
            "user@api.openai.com      | \"user@api.openai.com\" has userinfo (@); a pattern is a host name only",
            "api..openai.com          | empty label in \"api..openai.com\" (leading, trailing or doubled dot)",
            "api.openai.com.          | empty label in \"api.openai.com.\" (leading, trailing or doubled dot)",
            "' api.openai.com'        | whitespace in pattern \" api.openai.com\"",
            "api%2eopenai.com         | character '%' is not allowed in a host name (\"api%2eopenai.com\")",
            "127.0.0.1                | \"127.0.0.1\" ends in a numeric label, which URL parsers read as an IPv4 address; put addresses in ip_cidrs",
            "example.0x7f             | \"example.0x7f\" ends in a numeric label, which URL parsers read as an IPv4 address; put addresses in ip_cidrs",
    })
    void deniesBadDomainPatterns(String pattern, String message) {
        assertThat(errors(HEAD + "  \"allow\": {\"domains\": [{\"pattern\": \"" + pattern + "\"}]}\n}"))
                .containsExactly("wpc.json:4:37 $.allow.domains[0].pattern: " + message);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "0       | port 0 is outside 1-65535",
            "65536   | port 65536 is outside 1-65535",
            "-1      | port -1 is outside 1-65535",
            "443.0   | expected a port number 1-65535, got the number 443.0",
            "'\"443\"' | expected a port number 1-65535, got the string \"443\"",
            "1e3     | expected a port number 1-65535, got the number 1E+3",
            "99999999999999999999 | port 99999999999999999999 is outside 1-65535",
    })
    void deniesBadPorts(String port, String message) {
        assertThat(errors(HEAD + "  \"allow\": {\"domains\": [{\"pattern\": \"a.example\", \"ports\": [" + port + "]}]}\n}"))
                .containsExactly("wpc.json:4:60 $.allow.domains[0].ports[0]: " + message);
    }

    @Test
    void deniesEmptyAndRepeatedPortLists() {
        assertThat(errors(HEAD + """
                  "allow": {"domains": [
                    {"pattern": "a.example", "ports": []},
                    {"pattern": "b.example", "ports": [443, 443]}
                  ]}
                }
                """)).containsExactly(
                "wpc.json:5:39 $.allow.domains[0].ports: an empty port list would cover no port; omit \"ports\" for the default",
                "wpc.json:6:45 $.allow.domains[1].ports[1]: port 443 is listed twice");
    }

    @Test
    void deniesDefaultOtherThanDeny() {
        assertThat(errors("{\"name\": \"t\", \"default\": \"allow\"}"))
                .containsExactly("wpc.json:1:26 $.default: default must be \"deny\", got \"allow\"");
        assertThat(errors("{\"name\": \"t\", \"default\": false}"))
                .containsExactly("wpc.json:1:26 $.default: expected a string, got false");
    }

    @Test
    void deniesMissingDefaultAndName() {
        assertThat(errors("{\n  \"allow\": {}\n}")).containsExactly(
                "wpc.json:1:1 $.name: required field is missing",
                "wpc.json:1:1 $.default: required field is missing; it must be \"deny\"");
    }

    @Test
    void deniesEmptyName() {
        assertThat(errors("{\"name\": \" \", \"default\": \"deny\"}"))
                .containsExactly("wpc.json:1:10 $.name: must not be empty");
    }

    @Test
    void deniesUnknownFieldsNamingTheKnownOnes() {
        assertThat(errors(HEAD + """
                  "allow": {"domain": ["a.example"]},
                  "defualt_mode": "enforce"
                }
                """)).containsExactly(
                "wpc.json:4:13 $.allow.domain: unknown field \"domain\"; known fields: domains, ip_cidrs",
                "wpc.json:5:3 $.defualt_mode: unknown field \"defualt_mode\"; known fields: "
                        + String.join(", ", WpcParser.TOP_LEVEL_FIELDS));
    }

    @Test
    void deniesUnknownFieldsInsideRuleObjects() {
        assertThat(errors(HEAD + "  \"allow\": {\"domains\": [{\"pattern\": \"a.example\", \"port\": 443}]}\n}"))
                .containsExactly("wpc.json:4:50 $.allow.domains[0].port: unknown field \"port\"; known fields: pattern, ports, requires_attestation, note");
    }

    @Test
    void deniesAnAttestationOnADenyRule() {
        assertThat(errors(HEAD + "  \"deny\": {\"domains\": [{\"pattern\": \"a.example\", \"requires_attestation\": \"x\"}]}\n}"))
                .containsExactly("wpc.json:4:49 $.deny.domains[0].requires_attestation: unknown field "
                        + "\"requires_attestation\"; known fields: pattern, ports, note");
    }

    @Test
    void deniesAnEmptyAttestationName() {
        assertThat(errors(HEAD + "  \"allow\": {\"ip_cidrs\": [{\"cidr\": \"192.0.2.0/24\", \"requires_attestation\": \"\"}]}\n}"))
                .hasSize(1).first().asString().contains("$.allow.ip_cidrs[0].requires_attestation");
    }

    @Test
    void deniesWrongTypes() {
        assertThat(errors(HEAD + """
                  "mode": "audit",
                  "allow": {"domains": "a.example"},
                  "allowed": {"providers": [1], "models": [":gpt-4o"]},
                  "requirements": {"deny_on_unknown_model": "yes"},
                  "tools": {"deny": [null]},
                  "extends": ["SHA256:00"],
                  "data_handling": []
                }
                """)).containsExactly(
                "wpc.json:4:11 $.mode: mode must be \"enforce\" or \"monitor\", got \"audit\"",
                "wpc.json:5:24 $.allow.domains: expected an array, got the string \"a.example\"",
                "wpc.json:6:29 $.allowed.providers[0]: expected a string, got the number 1",
                "wpc.json:6:44 $.allowed.models[0]: \":gpt-4o\" is neither provider:model-id nor a plain model id",
                "wpc.json:7:45 $.requirements.deny_on_unknown_model: expected true or false, got the string \"yes\"",
                "wpc.json:8:22 $.tools.deny[0]: expected a string, got null",
                "wpc.json:9:15 $.extends[0]: expected sha256:<64 lower-case hex>, got \"SHA256:00\"",
                "wpc.json:10:20 $.data_handling: expected an object, got an array");
    }

    @Test
    void deniesUnsupportedFormatVersion() {
        assertThat(errors("{\"wpc_version\": \"v2\", \"name\": \"t\", \"default\": \"deny\"}"))
                .containsExactly("wpc.json:1:17 $.wpc_version: unsupported format version \"v2\"; this parser reads \"v1\"");
    }

    @Test
    void deniesToolRulesGivenTwice() {
        assertThat(errors(HEAD + "  \"tools\": {\"deny\": [\"exec\"]},\n  \"openclaw\": {\"tools\": {\"allow\": [\"exec\"]}}\n}"))
                .containsExactly("wpc.json:5:25 $.openclaw.tools: tool rules are already given in $.tools; keep one of the two");
    }

    @Test
    void deniesDuplicateKeysEveryOne() {
        assertThat(errors(HEAD + """
                  "default": "allow",
                  "allow": {"domains": ["a.example"], "domains": ["b.example"]}
                }
                """)).containsExactly(
                "wpc.json:4:3 $.default: duplicate key \"default\" (first at 3:3)",
                "wpc.json:5:39 $.allow.domains: duplicate key \"domains\" (first at 5:13)");
    }

    @Test
    void deniesMalformedJsonAtItsLocation() {
        assertThat(errors(HEAD + "  \"allow\": {\"domains\": [\"a.example\",]}\n}"))
                .singleElement().asString()
                .startsWith("wpc.json:4:37 $.allow.domains[0]: malformed JSON: Unexpected character (']'");
        assertThat(errors("")).containsExactly("wpc.json:1:1 $: malformed JSON: the document is empty");
        assertThat(errors("{\"name\": \"t\", \"default\": \"deny\"} {}"))
                .containsExactly("wpc.json:1:34 $: malformed JSON: content after the end of the document");
        assertThat(errors("[]")).containsExactly("wpc.json:1:1 $: expected an object, got an array");
    }

    @Test
    void deniesComments() {
        assertThat(errors("{\"name\": \"t\", // why\n \"default\": \"deny\"}")).singleElement().asString()
                .startsWith("wpc.json:1:15 $.name: malformed JSON: Unexpected character ('/'");
    }

    @Test
    void reportsEveryErrorInDocumentOrder() {
        List<String> errors = errors("""
                {
                  "name": "",
                  "default": "allow",
                  "allow": {
                    "domains": [
                      { "pattern": "*.com", "ports": [0] },
                      "good.example",
                      "bad.*.example"
                    ],
                    "ip_cidrs": ["10.0.0.0/33", "10.0.0.1/8"]
                  },
                  "deny": { "ip_cidrs": ["192.168.0.0/16", "300.0.0.0/8"] },
                  "color": "red"
                }
                """);

        assertThat(errors).containsExactly(
                "wpc.json:2:11 $.name: must not be empty",
                "wpc.json:3:14 $.default: default must be \"deny\", got \"allow\"",
                "wpc.json:6:20 $.allow.domains[0].pattern: \"*.com\" would allow a whole top-level domain",
                "wpc.json:6:39 $.allow.domains[0].ports[0]: port 0 is outside 1-65535",
                "wpc.json:8:7 $.allow.domains[2]: wildcard in \"bad.*.example\" is allowed only as a leading \"*.\" (*.example.com)",
                "wpc.json:10:18 $.allow.ip_cidrs[0]: prefix length 33 > 32",
                "wpc.json:10:33 $.allow.ip_cidrs[1]: host bits set in 10.0.0.1/8; the block is 10.0.0.0/8",
                "wpc.json:12:44 $.deny.ip_cidrs[1]: \"300.0.0.0\" is not a valid IPv4 address",
                "wpc.json:13:3 $.color: unknown field \"color\"; known fields: " + String.join(", ", WpcParser.TOP_LEVEL_FIELDS));
    }

    @Test
    void quotesAwkwardKeysInPaths() {
        assertThat(errors(HEAD + "  \"allow\": {\"ip cidrs\": []}\n}")).singleElement().asString()
                .startsWith("wpc.json:4:13 $.allow['ip cidrs']: unknown field \"ip cidrs\"");
    }

    private static List<String> errors(String text) {
        WpcParseResult result = WpcParser.parse(text, "wpc.json");
        assertThat(result).isInstanceOf(WpcParseResult.Invalid.class);
        return ((WpcParseResult.Invalid) result).errors().stream().map(WpcError::toString).toList();
    }
}
