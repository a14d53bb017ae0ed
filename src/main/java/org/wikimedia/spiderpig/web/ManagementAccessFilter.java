package org.wikimedia.spiderpig.web;

import java.net.InetSocketAddress;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.AllowedNetworks;
import reactor.core.publisher.Mono;

/**
 * Health and metrics ({@code /actuator/**}) answer without sign-in, so only to loopback and the networks
 * of {@code spiderpig.management.allowed-networks}; anyone else gets a 403 problem.
 */
class ManagementAccessFilter implements WebFilter {

    private final String basePath;
    private final AllowedNetworks allowed;

    ManagementAccessFilter(String basePath, AllowedNetworks allowed) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.allowed = allowed;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!(path.equals(basePath) || path.startsWith(basePath + "/"))) {
            return chain.filter(exchange);
        }
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote != null && remote.getAddress() != null && allowed.allows(remote.getAddress())) {
            return chain.filter(exchange);
        }
        String who = remote == null || remote.getAddress() == null ? "an unknown address" : remote.getAddress().getHostAddress();
        return Mono.error(new Problem(403, "forbidden-network", "Forbidden",
                basePath + " answers only loopback and the networks in spiderpig.management.allowed-networks;"
                        + " this request came from " + who + "."));
    }
}
