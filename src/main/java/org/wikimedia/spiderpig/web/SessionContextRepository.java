package org.wikimedia.spiderpig.web;

import java.util.Set;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.SignedIn;
import org.wikimedia.spiderpig.security.Sessions;
import org.wikimedia.spiderpig.security.SpiderPigUser;
import reactor.core.publisher.Mono;

/**
 * Who a request is, before any token: in local mode always the local user; otherwise the user of the
 * session cookie, looked up in the database (so sessions survive restarts), or a session still owing its
 * second factor. Sign-in writes sessions itself.
 */
class SessionContextRepository implements ServerSecurityContextRepository {

    private final SecurityMode mode;
    private final Sessions sessions;

    SessionContextRepository(SecurityMode mode, Sessions sessions) {
        this.mode = mode;
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
        return Mono.empty();
    }

    private static boolean forwarded(ServerWebExchange exchange) {
        var headers = exchange.getRequest().getHeaders();
        return headers.containsHeader("Forwarded") || headers.containsHeader("X-Forwarded-For");
    }

    @Override
    public Mono<SecurityContext> load(ServerWebExchange exchange) {
        if (mode.localMode()) {
            if (forwarded(exchange)) {
                // A reverse proxy in front of a loopback server would hand local mode's admin to the network.
                return Mono.empty();
            }
            return Mono.just(new SecurityContextImpl(new SignedIn(mode.localUser(), SignedIn.Via.LOCAL_MODE)));
        }
        return Mono.justOrEmpty(SessionCookie.secret(exchange.getRequest()))
                .flatMap(secret -> sessions.user(secret)
                        .map(user -> new SignedIn(user, SignedIn.Via.SESSION))
                        // Past the password only: no role, so that every rule but the sign-in flow's refuses it.
                        .switchIfEmpty(sessions.pendingUser(secret)
                                .map(name -> new SignedIn(new SpiderPigUser(name, Set.of()), SignedIn.Via.PASSWORD_ONLY))))
                .map(SecurityContextImpl::new);
    }
}
