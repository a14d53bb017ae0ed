package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

/**
 * Whether the server may run in local mode (no sign-in, everyone is the OS user): only on a loopback
 * address, without a sign-in configuration, and unless turned off. Anywhere else it refuses to start
 * without sign-in, rather than open deployments to the network.
 */
public final class ServerExposure {

    private ServerExposure() {
    }

    /** True for local mode; false for sign-in; throws (with what to configure) when neither may run. */
    public static boolean localMode(String serverAddress, SpiderPigProperties.Security settings) {
        boolean signInConfigured = settings.getAccountsFile() != null || settings.getOidc().isConfigured();
        boolean loopback = isLoopback(serverAddress);
        Boolean wanted = settings.getLocalMode();
        if (Boolean.TRUE.equals(wanted) && !loopback) {
            throw new IllegalStateException("spiderpig.security.local-mode=true needs server.address to be a loopback"
                    + " address (127.0.0.1 or ::1), not " + describe(serverAddress) + ".");
        }
        if (signInConfigured) {
            return false;
        }
        if (loopback && !Boolean.FALSE.equals(wanted)) {
            return true;
        }
        throw new IllegalStateException("SpiderPig will not run without sign-in "
                + (loopback ? "when spiderpig.security.local-mode=false" : "on " + describe(serverAddress))
                + ". Add spiderpig.security.accounts-file=/etc/spiderpig/accounts and create users with"
                + " `java -jar spiderpig.jar user add NAME --group deployers --file /etc/spiderpig/accounts`,"
                + " or single sign-on with spiderpig.security.oidc.issuer, .client-id and .client-secret"
                + " (docs/security.md), or bind to 127.0.0.1 with server.address for local mode.");
    }

    private static boolean isLoopback(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String describe(String address) {
        return address == null || address.isBlank() ? "every network interface (server.address is not set)"
                : "server.address=" + address;
    }
}
