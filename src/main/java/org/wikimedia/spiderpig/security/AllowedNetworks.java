package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Networks in CIDR notation ({@code 10.64.0.0/16}, {@code 2620:0:860::/46}, or one address) plus the
 * loopback addresses, which are always allowed.
 */
public final class AllowedNetworks {

    private final List<Network> networks;

    private AllowedNetworks(List<Network> networks) {
        this.networks = networks;
    }

    /** Parses each CIDR; throws IllegalArgumentException naming the first that is not one. */
    public static AllowedNetworks of(List<String> cidrs) {
        List<Network> networks = new ArrayList<>();
        for (String cidr : cidrs) {
            networks.add(Network.parse(cidr));
        }
        return new AllowedNetworks(List.copyOf(networks));
    }

    public boolean allows(InetAddress address) {
        return address.isLoopbackAddress() || networks.stream().anyMatch(network -> network.contains(address));
    }

    private record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            String text = cidr == null ? "" : cidr.trim();
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            // Only literal addresses: a host name here would make every check wait for DNS.
            if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
                throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or network in CIDR notation"
                        + " (such as 10.64.0.0/16 or 2620:0:860::/46)");
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or network in CIDR notation"
                        + " (such as 10.64.0.0/16 or 2620:0:860::/46)");
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("\"" + cidr + "\" has a prefix length outside 0–"
                            + address.length * 8);
                }
            }
            return new Network(address, bits);
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (other[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (other[whole] & mask) == (prefix[whole] & mask);
        }
    }
}
