package dev.clawstream.enforcer.destination;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An IPv4 address carried inside IPv6 is judged as that IPv4 address, whichever embedding carries it:
 * otherwise {@code [64:ff9b::a9fe:a9fe]} would reach the metadata service past a check that knows
 * 169.254.169.254 only in IPv4.
 */
class EmbeddedIpv4PropertyTest {

    @Property(tries = 500)
    void mappedTranslatedNat64And6to4CarryTheSameClassification(@ForAll int bits) {
        IPv4Address v4 = new IPv4Address(bits);
        String hi = hex16(bits >>> 16);
        String lo = hex16(bits & 0xffff);
        var expected = SpecialPurposeAddresses.classify(v4);
        for (String v6 : new String[] {"::ffff:" + hi + ":" + lo, "::ffff:0:" + hi + ":" + lo,
                "64:ff9b::" + hi + ":" + lo, "2002:" + hi + ":" + lo + "::1"}) {
            assertThat(SpecialPurposeAddresses.classify(ip(v6))).as(v6 + " carrying " + v4).isEqualTo(expected);
        }
    }

    @Property(tries = 500)
    void aTeredoClientInASpecialRangeIsReportedAsThatRange(@ForAll int bits) {
        IPv4Address client = new IPv4Address(bits);
        var expected = SpecialPurposeAddresses.classify(client);
        // Server 65.54.227.120 (RFC 4380's example, public); the client is stored inverted.
        String teredo = "2001:0:4136:e378:8000:63bf:" + hex16(~bits >>> 16) + ":" + hex16(~bits & 0xffff);
        var actual = SpecialPurposeAddresses.classify(ip(teredo));
        assertThat(actual).as("Teredo is never a plain public address").isPresent();
        if (expected.isPresent()) {
            assertThat(actual).as(teredo + " carrying " + client).isEqualTo(expected);
        }
    }

    private static String hex16(int value) {
        return Integer.toHexString(value & 0xffff).toLowerCase(Locale.ROOT);
    }

    private static IPAddress ip(String s) {
        return new IPAddressString(s).getAddress();
    }
}
