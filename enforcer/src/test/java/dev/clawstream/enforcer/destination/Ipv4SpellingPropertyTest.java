package dev.clawstream.enforcer.destination;

import dev.clawstream.enforcer.destination.ParsedDestination.EgressDestination;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every spelling of one IPv4 address that clients accept is the same destination to us. */
class Ipv4SpellingPropertyTest {

    @Property(tries = 300)
    void everySpellingOfAnAddressParsesToTheSameHost(@ForAll @IntRange(min = 0, max = 255) int a,
                                                     @ForAll @IntRange(min = 0, max = 255) int b,
                                                     @ForAll @IntRange(min = 0, max = 255) int c,
                                                     @ForAll @IntRange(min = 0, max = 255) int d) {
        long value = ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
        String dotted = a + "." + b + "." + c + "." + d;
        List<String> spellings = List.of(
                dotted,
                Long.toString(value),
                "0x" + Long.toHexString(value),
                "0" + Long.toOctalString(value),
                "0x" + Integer.toHexString(a) + "." + b + "." + c + "." + d,
                "0" + Integer.toOctalString(a) + "." + b + "." + c + ".0" + Integer.toOctalString(d),
                a + "." + ((b << 16) | (c << 8) | d),
                a + "." + b + "." + ((c << 8) | d),
                dotted + ".",
                "[::ffff:" + dotted + "]");
        String expected = "http://" + dotted;
        for (String spelling : spellings) {
            ParsedDestination parsed = DestinationParser.parseUrl("http://" + spelling + "/");
            assertThat(parsed).as(spelling).isInstanceOf(EgressDestination.class);
            var address = ((Host.AddressHost) ((EgressDestination) parsed).host()).address();
            var v4 = SpecialPurposeAddresses.views(address).get(SpecialPurposeAddresses.views(address).size() - 1);
            assertThat("http://" + v4.toCanonicalString()).as(spelling).isEqualTo(expected);
        }
    }
}
