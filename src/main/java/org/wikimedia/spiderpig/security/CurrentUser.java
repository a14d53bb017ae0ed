package org.wikimedia.spiderpig.security;

import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Copies the user Spring Security signed in onto the exchange, where every handler finds it without
 * reaching into the Reactor context. Runs after the security filter chain.
 */
public class CurrentUser implements WebFilter {

    private static final String ATTRIBUTE = CurrentUser.class.getName();

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(Authentication::isAuthenticated)
                .map(Authentication::getPrincipal)
                .ofType(SpiderPigUser.class)
                .doOnNext(user -> exchange.getAttributes().put(ATTRIBUTE, user))
                .then(chain.filter(exchange));
    }

    /** The signed-in user of a request; {@code attributes} are the request's (the exchange's) attributes. */
    public static SpiderPigUser of(Map<String, Object> attributes) {
        return find(attributes).orElseThrow(() -> new IllegalStateException(
                "no user on this request: is the route open to anonymous callers?"));
    }

    public static Optional<SpiderPigUser> find(Map<String, Object> attributes) {
        return Optional.ofNullable(attributes.get(ATTRIBUTE)).map(SpiderPigUser.class::cast);
    }
}
