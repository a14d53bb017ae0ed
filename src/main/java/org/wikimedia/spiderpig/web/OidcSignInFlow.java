package org.wikimedia.spiderpig.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.ServerAuthenticationFailureHandler;
import org.springframework.security.web.server.authentication.ServerAuthenticationSuccessHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import org.springframework.web.util.HtmlUtils;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.security.OidcClient;
import org.wikimedia.spiderpig.security.OidcSignIn;
import org.wikimedia.spiderpig.security.Sessions;
import reactor.core.publisher.Mono;

/**
 * The end of a single sign-on: the provider vouched for someone, so check them ({@link OidcSignIn}), start one of
 * SpiderPig's own sessions (the same as a password sign-in's) and send the browser to the web UI. A refusal or a
 * failure is answered with a page that says why (or the problem JSON to a caller that does not take HTML).
 */
class OidcSignInFlow implements ServerAuthenticationSuccessHandler, ServerAuthenticationFailureHandler {

    private final OidcSignIn signIn;
    private final Sessions sessions;

    OidcSignInFlow(OidcSignIn signIn, Sessions sessions) {
        this.signIn = signIn;
        this.sessions = sessions;
    }

    @Override
    public Mono<Void> onAuthenticationSuccess(WebFilterExchange webFilterExchange, Authentication authentication) {
        ServerWebExchange exchange = webFilterExchange.getExchange();
        if (!(authentication.getPrincipal() instanceof OidcUser user)) {
            return answer(exchange, new Problem(401, "sign-in-failed", "Sign-in failed",
                    "The provider answered without an ID token; is it an OpenID Connect provider?"));
        }
        return forgetFlow(exchange).then(signIn.signIn(user.getClaims(), address(exchange)))
                .flatMap(sessions::start)
                .flatMap(secret -> {
                    var response = exchange.getResponse();
                    response.addCookie(SessionCookie.of(exchange.getRequest(), secret, sessions.lifetime()));
                    response.setStatusCode(HttpStatus.FOUND);
                    response.getHeaders().setLocation(URI.create("/"));
                    response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
                    return response.setComplete();
                })
                .onErrorResume(Problem.class, refused -> answer(exchange, refused));
    }

    @Override
    public Mono<Void> onAuthenticationFailure(WebFilterExchange webFilterExchange, AuthenticationException failure) {
        ServerWebExchange exchange = webFilterExchange.getExchange();
        String why = failure instanceof OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode() + (oauth.getError().getDescription() == null ? ""
                        : " (" + oauth.getError().getDescription() + ")")
                : failure.getMessage();
        return forgetFlow(exchange).then(signIn.failed(why, address(exchange)))
                .then(answer(exchange, new Problem(401, "sign-in-failed", "Sign-in failed",
                        "The sign-in through " + signIn.providerName() + " did not succeed: " + why + ".")));
    }

    /** The web session only carried the flow's state and nonce; it is done with, and would stay in memory. */
    private static Mono<Void> forgetFlow(ServerWebExchange exchange) {
        return exchange.getSession().flatMap(WebSession::invalidate);
    }

    private static InetAddress address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    /** A browser gets a page; anything else the problem, through {@link ProblemHandler}. */
    private Mono<Void> answer(ServerWebExchange exchange, Problem problem) {
        boolean browser = exchange.getRequest().getHeaders().getAccept().stream()
                .anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_HTML) && !type.isWildcardType());
        if (!browser) {
            return Mono.error(problem);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.valueOf(problem.status()));
        response.getHeaders().setContentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8));
        response.getHeaders().set(HttpHeaders.CACHE_CONTROL, "no-store");
        byte[] page = page(problem).getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(page)));
    }

    private String page(Problem problem) {
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>%s — SpiderPig</title>
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
                <h1>%s</h1>
                <p id="why" data-problem="%s">%s</p>
                <p><a href="%s">Sign in with %s again</a> · <a href="/">SpiderPig</a></p>
                </body></html>
                """.formatted(escape(problem.title()), escape(problem.title()), escape(problem.type()),
                escape(problem.detail()), OidcClient.START_PATH, escape(signIn.providerName()));
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text == null ? "" : text);
    }
}
