package org.wikimedia.spiderpig.security;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;

/** Client addresses as the audit trail and the throttle keep them: IPv4 to its /24, IPv6 to its /48. */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String anonymized(InetAddress address) {
        if (address == null) {
            return null;
        }
        byte[] bytes = address.getAddress();
        int keep = address instanceof Inet4Address ? 3 : 6;
        byte[] kept = Arrays.copyOf(Arrays.copyOf(bytes, keep), bytes.length);
        try {
            String text = InetAddress.getByAddress(kept).getHostAddress();
            return text + (address instanceof Inet4Address ? "/24" : "/48");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }
}
