package org.wikimedia.spiderpig.security;

import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Who makes a request. Sign-in (OpenID Connect for browsers, tokens for scripts) will be other implementations. */
public interface UserResolver {

    Mono<SpiderPigUser> resolve(ServerWebExchange exchange);
}
