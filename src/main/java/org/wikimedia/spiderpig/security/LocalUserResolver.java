package org.wikimedia.spiderpig.security;

import java.util.Set;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Until sign-in exists, every request acts as one configured local user (the server binds to localhost
 * by default, so whoever reaches it is on this machine). That user may do everything, administration included.
 */
public class LocalUserResolver implements UserResolver {

    private final SpiderPigUser user;

    public LocalUserResolver(String name) {
        this.user = new SpiderPigUser(name, Set.of(Role.VIEWER, Role.DEPLOYER, Role.ADMIN));
    }

    @Override
    public Mono<SpiderPigUser> resolve(ServerWebExchange exchange) {
        return Mono.just(user);
    }
}
