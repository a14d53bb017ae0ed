package org.wikimedia.spiderpig.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.springframework.web.reactive.function.server.ServerRequest;

/** Where a request came from, for the audit trail and the sign-in throttle. */
final class ClientRequests {

    private ClientRequests() {
    }

    static InetAddress address(ServerRequest request) {
        return request.remoteAddress().map(InetSocketAddress::getAddress).orElse(null);
    }
}
