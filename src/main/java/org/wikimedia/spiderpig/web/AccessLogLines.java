package org.wikimedia.spiderpig.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.wikimedia.spiderpig.security.ClientAddress;
import reactor.netty.http.server.ConnectionInformation;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;
import reactor.netty.http.server.logging.AccessLogFactory;

/**
 * Reactor Netty's access log in the common log format, with the client's address cut to its /24 or /48 unless
 * configured otherwise: the log is kept longer and read by more people than the audit trail.
 */
final class AccessLogLines implements AccessLogFactory {

    private static final String FORMAT = "{} - {} [{}] \"{} {} {}\" {} {} {}ms";

    private final boolean anonymize;

    AccessLogLines(boolean anonymize) {
        this.anonymize = anonymize;
    }

    @Override
    public AccessLog apply(AccessLogArgProvider request) {
        long length = request.contentLength();
        return AccessLog.create(FORMAT, address(request), "-", request.zonedDateTime(), request.method(), request.uri(),
                request.protocol(), request.status(), length < 0 ? "-" : length, request.duration());
    }

    private String address(AccessLogArgProvider request) {
        ConnectionInformation connection = request.connectionInformation();
        return address(connection == null ? null : connection.remoteAddress());
    }

    /** As the line shows it. */
    String address(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress socket) || socket.getAddress() == null) {
            return "-";
        }
        InetAddress address = socket.getAddress();
        return anonymize ? ClientAddress.anonymized(address) : address.getHostAddress();
    }
}
