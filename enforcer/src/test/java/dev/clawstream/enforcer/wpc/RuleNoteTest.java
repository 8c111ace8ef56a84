package dev.clawstream.enforcer.wpc;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code note} on allow and deny entries: accepted, checked as a name, covered by the hash. */
class RuleNoteTest {

    private static WpcParseResult parse(String note) {
        return WpcParser.parse("""
                {"name": "t", "default": "deny",
                 "allow": {"domains": [{"pattern": "api.openai.com", "ports": [443], "note": %s}],
                           "ip_cidrs": [{"cidr": "93.184.216.34/32", "note": "example.com"}]}}
                """.formatted(note), "wpc.json");
    }

    @Test
    void acceptsANoteOnDomainAndCidrRulesAndHashesIt() {
        WpcParseResult once = parse("\"observed 3 time(s) by agent-a (3)\"");
        WpcParseResult twice = parse("\"observed 4 time(s) by agent-a (4)\"");

        assertThat(once).isInstanceOf(WpcParseResult.Valid.class);
        assertThat(((WpcParseResult.Valid) once).document().hash())
                .isNotEqualTo(((WpcParseResult.Valid) twice).document().hash());
    }

    @Test
    void refusesANoteThatIsNotANonEmptyTrimmedString() {
        assertThat(errors(parse("42"))).singleElement().asString().contains("$.allow.domains[0].note");
        assertThat(errors(parse("\" padded \""))).singleElement().asString().contains("leading or trailing whitespace");
        assertThat(errors(parse("\"\""))).singleElement().asString().contains("must not be empty");
    }

    @Test
    void stillRefusesOtherUnknownFieldsOnARule() {
        WpcParseResult result = WpcParser.parse("""
                {"name": "t", "default": "deny", "allow": {"domains": [{"pattern": "a.com", "comment": "x"}]}}
                """, "wpc.json");
        assertThat(errors(result)).singleElement().asString().contains("comment");
    }

    private static List<WpcError> errors(WpcParseResult result) {
        assertThat(result).isInstanceOf(WpcParseResult.Invalid.class);
        return ((WpcParseResult.Invalid) result).errors();
    }
}
