package dev.clawstream.enforcer.destination;

import inet.ipaddr.IPAddressString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Blocks, not addresses: what an allow rule for a whole CIDR would open. */
class SpecialPurposeOverlapTest {

    @ParameterizedTest
    @CsvSource({
            "169.254.169.254/32, cloud-metadata",
            "169.254.0.0/16, cloud-metadata",
            "0.0.0.0/0, private-use",
            "10.20.0.0/16, private-use",
            "168.63.0.0/16, cloud-metadata",
            "::/0, unique-local",
            "::ffff:0:0/96, embeds IPv4 addresses",
            "2002::/16, embeds IPv4 addresses",
            "fd00:ec2::/32, cloud-metadata",
    })
    void findsEverySpecialRangeABlockSharesAnAddressWith(String block, String expectedName) {
        assertThat(SpecialPurposeAddresses.overlapping(new IPAddressString(block).getAddress()))
                .extracting(SpecialPurposeAddresses.SpecialRange::name).contains(expectedName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34/32", "151.101.0.0/16", "8.8.8.0/24", "2606:4700::/32"})
    void publicBlocksOverlapNothing(String block) {
        assertThat(SpecialPurposeAddresses.overlapping(new IPAddressString(block).getAddress())).isEmpty();
    }
}
