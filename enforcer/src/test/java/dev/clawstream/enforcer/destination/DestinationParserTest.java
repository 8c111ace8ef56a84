package dev.clawstream.enforcer.destination;

import dev.clawstream.enforcer.destination.Host.AddressHost;
import dev.clawstream.enforcer.destination.Host.DomainHost;
import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import dev.clawstream.enforcer.destination.ParsedDestination.Unparseable;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the corpus file cannot hold (raw control characters) and the host-and-port entry point used
 * for CONNECT, SNI and raw TCP reports.
 */
class DestinationParserTest {

    /** Browsers drop tabs and newlines ("api.open\tai.com" is api.openai.com to them); curl and Go refuse them. */
    @ParameterizedTest
    @ValueSource(strings = {
            "https://api.open\tai.com/",
            "https://evil.com\r\nHost: api.openai.com/",
            "https://api.openai.com/\r\nHost: evil.com",
            "https://api.openai.com\u0000.evil.com/",
            "https://api.openai.com/x\u0000",
            " https://api.openai.com/",
            "https://api.openai.com\u000b/",
            "https://api.openai.com\u007f/",
            "https:// api.openai.com/"})
    void refusesRawControlCharactersAsAmbiguous(String url) {
        assertThat(DestinationParser.parseUrl(url)).isInstanceOfSatisfying(Unparseable.class,
                u -> assertThat(u.kind()).isEqualTo(Unparseable.Kind.AMBIGUOUS));
    }

    @Test
    void aSpaceAfterTheHostMovesNoBoundary() {
        assertThat(DestinationParser.parseUrl("https://api.openai.com/a b?c d#e f"))
                .hasToString("https://api.openai.com");
    }

    @Test
    void hostAndPortAreCanonicalisedLikeAUrlHost() {
        var d = (EgressDestination) DestinationParser.parseHostPort("API.OpenAI.com.", 443, "https");
        assertThat(d.host()).isEqualTo(new DomainHost("api.openai.com"));
        assertThat(d.port()).isEqualTo(443);
        assertThat(d.defaultPort()).isTrue();
    }

    @Test
    void hostAndPortTakeEveryIpv4Spelling() {
        var d = (EgressDestination) DestinationParser.parseHostPort("0x7f.1", 22, null);
        assertThat(d.host()).isEqualTo(new AddressHost(new IPAddressString("127.0.0.1").getAddress()));
        assertThat(d.port()).isEqualTo(22);
        assertThat(d.defaultPort()).isFalse();
    }

    @Test
    void hostAndPortTakeIpv6WithOrWithoutBrackets() {
        assertThat(DestinationParser.parseHostPort("::1", 8080, null)).hasToString("https://[::1]:8080");
        assertThat(DestinationParser.parseHostPort("[::1]", null, null)).hasToString("https://[::1]");
        assertThat(DestinationParser.parseHostPort("169.254.169.254", 80, null)).hasToString("http://169.254.169.254");
    }

    @Test
    void aZoneIdIsRefusedWithItsReason() {
        // fe80::1%eth0 names an interface of the sending machine: the URL Standard refuses it, curl takes it.
        assertThat(DestinationParser.parseHostPort("fe80::1%eth0", 443, null)).isInstanceOfSatisfying(
                Unparseable.class, u -> {
                    assertThat(u.kind()).isEqualTo(Unparseable.Kind.AMBIGUOUS);
                    assertThat(u.reason()).contains("zone id");
                });
    }

    @Test
    void aHostWithItsPortIsReadAsAnAuthority() {
        assertThat(DestinationParser.parseHostPort("api.openai.com:443", null, null)).hasToString("https://api.openai.com");
        assertThat(DestinationParser.parseHostPort("api.openai.com:8443", null, "https"))
                .hasToString("https://api.openai.com:8443");
        assertThat(DestinationParser.parseHostPort("api.openai.com:443", 443, null)).hasToString("https://api.openai.com");
        assertThat(DestinationParser.parseHostPort("[::1]:8080", 8080, null)).hasToString("https://[::1]:8080");
        assertThat(DestinationParser.parseHostPort("api.openai.com:80", 443, "https")).isInstanceOfSatisfying(
                Unparseable.class, u -> assertThat(u.kind()).isEqualTo(Unparseable.Kind.AMBIGUOUS));
    }

    @Test
    void hostAndPortRefuseWhatIsNotAHost() {
        assertThat(DestinationParser.parseHostPort("evil.com:80", 443, "https")).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("api.openai.com@evil.com", 443, null)).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("evil.com/x", 443, null)).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("", 443, null)).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("x", 65536, null)).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("x", -1, null)).isInstanceOf(Unparseable.class);
        assertThat(DestinationParser.parseHostPort("x", 443, "gopher")).isInstanceOf(Unparseable.class);
    }

    @Test
    void aDomainHostIsCanonicalByConstruction() {
        for (String bad : new String[] {"API.openai.com", "api.openai.com.", "a..b", "", ".a"}) {
            assertThatThrownBy(() -> new DomainHost(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
