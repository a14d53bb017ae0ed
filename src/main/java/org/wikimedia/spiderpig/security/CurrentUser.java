package org.wikimedia.spiderpig.security;

import java.util.Map;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Resolves the user once per request and keeps it on the exchange, where every handler finds it. */
public class CurrentUser implements WebFilter {

    private static final String ATTRIBUTE = CurrentUser.class.getName();

    private final UserResolver resolver;

    public CurrentUser(UserResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return resolver.resolve(exchange)
                .doOnNext(user -> exchange.getAttributes().put(ATTRIBUTE, user))
                .then(chain.filter(exchange));
    }

    /** The user the filter put on a request; {@code attributes} are the request's (the exchange's) attributes. */
    public static SpiderPigUser of(Map<String, Object> attributes) {
        return Optional.ofNullable(attributes.get(ATTRIBUTE))
                .map(SpiderPigUser.class::cast)
                .orElseThrow(() -> new IllegalStateException("no user on this request: is the CurrentUser filter installed?"));
    }
}
