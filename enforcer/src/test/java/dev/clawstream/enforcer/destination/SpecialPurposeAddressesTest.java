package dev.clawstream.enforcer.destination;

import dev.clawstream.enforcer.destination.Host.DomainHost;
import dev.clawstream.enforcer.destination.SpecialPurposeAddresses.SpecialRange;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The special-purpose set, block by block (IANA IPv4 and IPv6 Special-Purpose Address Registries,
 * RFC 6890), with the embedded-IPv4 examples of the RFCs that define each embedding.
 */
class SpecialPurposeAddressesTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0.0.0.0                     | this-network
            0.255.255.255               | this-network
            10.0.0.0                    | private-use
            10.255.255.255              | private-use
            100.64.0.0                  | shared-address-space (CGNAT)
            100.127.255.255             | shared-address-space (CGNAT)
            127.0.0.1                   | loopback
            127.255.255.254             | loopback
            169.254.0.1                 | link-local
            169.254.169.254             | cloud-metadata
            169.254.170.2               | cloud-metadata
            168.63.129.16               | cloud-metadata
            100.100.100.200             | cloud-metadata
            172.16.0.0                  | private-use
            172.31.255.255              | private-use
            192.0.0.8                   | ietf-protocol-assignments
            192.0.2.1                   | documentation (TEST-NET-1)
            192.31.196.1                | as112-v4
            192.52.193.1                | amt
            192.88.99.1                 | 6to4-relay-anycast (deprecated)
            192.168.0.1                 | private-use
            192.175.48.1                | direct-delegation-as112
            198.18.0.1                  | benchmarking
            198.19.255.255              | benchmarking
            198.51.100.1                | documentation (TEST-NET-2)
            203.0.113.1                 | documentation (TEST-NET-3)
            224.0.0.1                   | multicast
            239.255.255.250             | multicast
            240.0.0.1                   | reserved
            255.255.255.254             | reserved
            255.255.255.255             | limited-broadcast
            ::                          | unspecified
            ::1                         | loopback
            100::1                      | discard-only
            100:0:0:1::1                | dummy-prefix
            2001:2::1                   | benchmarking
            2001:10::1                  | ietf-protocol-assignments
            2001:db8::1                 | documentation
            2620:4f:8000::1             | as112-v6
            3fff::1                     | documentation
            5f00::1                     | srv6-sids
            fc00::1                     | unique-local
            fd12:3456::1                | unique-local
            fd00:ec2::254               | cloud-metadata
            fe80::1                     | link-local
            febf:ffff::1                | link-local
            fec0::1                     | site-local (deprecated)
            ff02::1                     | multicast
            64:ff9b:1::808:808          | nat64-local-use
            """)
    void classifiesEveryRegistryBlock(String address, String name) {
        assertThat(SpecialPurposeAddresses.classify(ip(address)).map(SpecialRange::name)).contains(name);
    }

    @ParameterizedTest(name = "{0} carries {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::ffff:127.0.0.1                        | loopback                   | IPv4-mapped, RFC 4291 2.5.5.2
            ::ffff:a9fe:a9fe                        | cloud-metadata             | IPv4-mapped in hex
            ::ffff:0:10.0.0.1                       | private-use                | IPv4-translated, RFC 2765
            ::127.0.0.1                             | loopback                   | IPv4-compatible, RFC 4291 2.5.5.1
            ::2                                     | this-network               | IPv4-compatible 0.0.0.2
            64:ff9b::c000:221                       | documentation (TEST-NET-1) | RFC 6052 2.4 example, 192.0.2.33
            64:ff9b::a9fe:a9fe                      | cloud-metadata             | NAT64 well-known prefix
            64:ff9b:1::7f00:1                       | loopback                   | NAT64 local-use, RFC 8215
            2002:c000:0204::1                       | documentation (TEST-NET-1) | 6to4 of 192.0.2.4, RFC 3056
            2002:a9fe:a9fe::1                       | cloud-metadata             | 6to4 of the metadata address
            2001:0:4136:e378:8000:63bf:3fff:fdd2    | documentation (TEST-NET-1) | Teredo, RFC 4380: client 192.0.2.45
            2001:0:4136:e378:8000:63bf:5601:5601    | cloud-metadata             | Teredo client 169.254.169.254 inverted
            """)
    void judgesTheIpv4AddressEmbeddedInIpv6(String address, String name, String source) {
        assertThat(SpecialPurposeAddresses.classify(ip(address)).map(SpecialRange::name)).as(source).contains(name);
    }

    @ParameterizedTest(name = "{0} is public")
    @CsvSource(textBlock = """
            8.8.8.8
            1.1.1.1
            172.32.0.1
            100.128.0.1
            169.253.255.255
            2606:4700:4700::1111
            ::ffff:8.8.8.8
            64:ff9b::808:808
            2002:808:808::1
            """)
    void leavesPublicAddressesAlone(String address) {
        assertThat(SpecialPurposeAddresses.classify(ip(address))).isEmpty();
    }

    @Test
    void reportsTheTeredoClientBeforeTheServer() {
        // Server 10.0.0.1 (0a00:0001), client 127.0.0.1 (inverted: 80ff:fffe).
        assertThat(SpecialPurposeAddresses.classify(ip("2001:0:a00:1::80ff:fffe")).map(SpecialRange::name))
                .contains("loopback");
    }

    @Test
    void namesTheCidrItMatched() {
        assertThat(SpecialPurposeAddresses.classify(ip("172.20.1.1")))
                .contains(new SpecialRange("private-use", "172.16.0.0/12"));
    }

    @Test
    void knowsMetadataNamesAsTheParserCanonicalisesThem() {
        for (String url : new String[] {"http://metadata.google.internal/", "http://METADATA.google.internal./",
                "http://metadata/", "http://metadata.goog/", "http://instance-data/"}) {
            var parsed = (ParsedDestination.EgressDestination) DestinationParser.parseUrl(url);
            assertThat(SpecialPurposeAddresses.isMetadataName((DomainHost) parsed.host())).as(url).isTrue();
        }
        assertThat(SpecialPurposeAddresses.isMetadataName(new DomainHost("metadata.google.internal.evil.com"))).isFalse();
    }

    private static IPAddress ip(String s) {
        return new IPAddressString(s).getAddress();
    }
}
