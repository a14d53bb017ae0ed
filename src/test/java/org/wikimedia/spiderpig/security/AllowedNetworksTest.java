package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedNetworksTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void loopbackIsAlwaysAllowedAndNothingElseByDefault() throws Exception {
        AllowedNetworks none = AllowedNetworks.of(List.of());
        assertThat(none.allows(ip("127.0.0.1"))).isTrue();
        assertThat(none.allows(ip("::1"))).isTrue();
        assertThat(none.allows(ip("10.1.2.3"))).isFalse();
    }

    @Test
    void networksMatchByTheirPrefix() throws Exception {
        AllowedNetworks networks = AllowedNetworks.of(List.of("10.64.0.0/12", "192.0.2.7", "2620:0:860::/46"));
        assertThat(networks.allows(ip("10.79.255.255"))).isTrue();
        assertThat(networks.allows(ip("10.80.0.0"))).isFalse();
        assertThat(networks.allows(ip("192.0.2.7"))).isTrue();
        assertThat(networks.allows(ip("192.0.2.8"))).isFalse();
        assertThat(networks.allows(ip("2620:0:863:ffff::1"))).isTrue();
        assertThat(networks.allows(ip("2620:0:864::1"))).isFalse();
    }

    @Test
    void whatIsNotANetworkIsRefusedWithTheValue() {
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("intranet.example.org"))).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> AllowedNetworks.of(List.of("10.0.0.0/x"))).hasMessageContaining("prefix length");
    }
}
