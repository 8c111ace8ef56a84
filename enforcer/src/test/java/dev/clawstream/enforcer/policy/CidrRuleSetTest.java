package dev.clawstream.enforcer.policy;

import dev.clawstream.enforcer.wpc.Ports;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CidrRuleSetTest {

    private static final EgressRule TEN = new EgressRule("/deny/ip_cidrs/0", new Ports.Every());
    private static final EgressRule TEN_ONE = new EgressRule("/deny/ip_cidrs/1", new Ports.Every());
    private static final EgressRule DOC = new EgressRule("/allow/ip_cidrs/0", new Ports.Listed(List.of(443)));
    private static final EgressRule ULA = new EgressRule("/deny/ip_cidrs/2", new Ports.Every());

    private final CidrRuleSet rules = CidrRuleSet.builder()
            .add(ip("10.0.0.0/8"), TEN)
            .add(ip("10.1.0.0/16"), TEN_ONE)
            .add(ip("203.0.113.7/24"), DOC)
            .add(ip("fc00::/7"), ULA)
            .build();

    @Test
    void everyContainingBlockMatchesMostSpecificFirst() {
        assertThat(rules.matching(ip("10.1.2.3"))).containsExactly(TEN_ONE, TEN);
        assertThat(rules.matching(ip("10.200.0.1"))).containsExactly(TEN);
    }

    @Test
    void hostBitsInARuleAreTheirBlock() {
        assertThat(rules.matching(ip("203.0.113.200"))).containsExactly(DOC);
    }

    @Test
    void ipv6BlocksMatchIpv6Addresses() {
        assertThat(rules.matching(ip("fd12:3456::1"))).containsExactly(ULA);
        assertThat(rules.matching(ip("2001:db8::1"))).isEmpty();
    }

    @Test
    void addressesOutsideEveryBlockMatchNothing() {
        assertThat(rules.matching(ip("11.0.0.1"))).isEmpty();
        assertThat(rules.matching(ip("9.255.255.255"))).isEmpty();
    }

    private static IPAddress ip(String text) {
        return new IPAddressString(text).getAddress();
    }
}
