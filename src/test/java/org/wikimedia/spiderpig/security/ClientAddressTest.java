package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void keepsTheNetworkNotTheHost() throws Exception {
        assertThat(ClientAddress.anonymized(InetAddress.getByName("198.51.100.77"))).isEqualTo("198.51.100.0/24");
        assertThat(ClientAddress.anonymized(InetAddress.getByName("2001:db8:abcd:12:1:2:3:4"))).isEqualTo("2001:db8:abcd:0:0:0:0:0/48");
        assertThat(ClientAddress.anonymized(null)).isNull();
    }
}
