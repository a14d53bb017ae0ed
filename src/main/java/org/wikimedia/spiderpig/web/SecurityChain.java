package org.wikimedia.spiderpig.web;

import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.csrf.CookieServerCsrfTokenRepository;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.WebFilter;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.security.ApiTokens;
import org.wikimedia.spiderpig.security.OidcClient;
import org.wikimedia.spiderpig.security.OidcSignIn;
import org.wikimedia.spiderpig.security.Role;
import org.wikimedia.spiderpig.security.SecurityMode;
import org.wikimedia.spiderpig.security.Sessions;
import reactor.core.publisher.Mono;

/**
 * Spring Security around the route table: each {@link Endpoint}'s access becomes a rule, sessions come from a
 * cookie, scripts bring a Bearer token, and failures answer in the problem format. docs/security.md tells it.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityChain {

    /** No inline script or style element: the built UI loads everything from files of its own origin. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self';"
            + " frame-ancestors 'none'";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.TRACE);

    /** Present so that Spring Boot does not invent a user with a generated password. */
    @Bean
    ReactiveAuthenticationManager noPasswordLogins() {
        return authentication -> Mono.empty();
    }

    /**
     * Spring Security's strict firewall (no {@code //}, {@code ..;}, {@code /./}: paths that could match a rule
     * one way and a route another), but any method (the routes answer an unknown one with 405), and encoded
     * slashes, which stay inside one segment for both rules and routes.
     */
    @Bean
    ServerWebExchangeFirewall strictFirewallAnyMethod() {
        StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        // A Gerrit change URL travels URL-encoded in one path segment (GET /api/gerrit/changes/{change}).
        firewall.setAllowUrlEncodedSlash(true);
        firewall.setAllowUrlEncodedDoubleSlash(true);
        firewall.setAllowUrlEncodedPercent(true);
        return firewall;
    }

    @Bean
    SecurityWebFilterChain spiderPigSecurity(ServerHttpSecurity http, ApiRoutes routes, SecurityMode mode,
                                             Sessions sessions, ApiTokens tokens, SpiderPigProperties properties,
                                             OidcClient oidcClient, OidcSignIn oidcSignIn) {
        ProblemEntryPoint problems = new ProblemEntryPoint();
        http.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(new SessionContextRepository(mode, sessions))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .authorizeExchange(rules -> {
                    routes.endpoints().forEach(endpoint -> rule(rules, endpoint));
                    rules.pathMatchers("/api/**").authenticated();
                    rules.anyExchange().permitAll();
                });
        if (mode.localMode()) {
            // Nobody signs in, so no cookie authenticates anything a forged cross-site request could abuse.
            http.csrf(ServerHttpSecurity.CsrfSpec::disable);
        } else {
            CookieServerCsrfTokenRepository csrfTokens = CookieServerCsrfTokenRepository.withHttpOnlyFalse();
            csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
            http.csrf(csrf -> csrf.csrfTokenRepository(csrfTokens)
                            .csrfTokenRequestHandler(new ServerCsrfTokenRequestAttributeHandler())
                            .requireCsrfProtectionMatcher(cookieAuthenticatedChange())
                            .accessDeniedHandler(problems))
                    .addFilterAt(BearerTokenAuthentication.filter(tokens, problems), SecurityWebFiltersOrder.AUTHENTICATION)
                    .addFilterAfter(issueCsrfCookie(), SecurityWebFiltersOrder.CSRF);
            if (properties.getSecurity().getOidc().isConfigured()) {
                singleSignOn(http, oidcClient, new OidcSignInFlow(oidcSignIn, sessions));
            }
        }
        return http.build();
    }

    /**
     * Spring Security's authorization-code flow ({@link OidcClient#START_PATH} → provider → {@link
     * OidcClient#CALLBACK_PATH}); what it proves becomes one of our own sessions, so nothing of it is kept: no
     * security context in a web session, no provider tokens (the web session only carries the flow's state and
     * nonce between the two requests).
     */
    private static void singleSignOn(ServerHttpSecurity http, OidcClient client, OidcSignInFlow flow) {
        var requests = new DefaultServerOAuth2AuthorizationRequestResolver(client);
        requests.setAuthorizationRequestCustomizer(client.authorizationRequestCustomizer());
        http.oauth2Login(login -> login.clientRegistrationRepository(client)
                .authorizationRequestResolver(requests)
                .authorizedClientRepository(new NoProviderTokens())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authenticationSuccessHandler(flow)
                .authenticationFailureHandler(flow));
    }

    private static void rule(AuthorizeExchangeSpec rules, Endpoint endpoint) {
        rule(rules, endpoint.method(), endpoint);
        if (endpoint.method() == HttpMethod.GET) {
            rule(rules, HttpMethod.HEAD, endpoint); // every GET route answers HEAD too (ApiRoutes)
        }
    }

    private static void rule(AuthorizeExchangeSpec rules, HttpMethod method, Endpoint endpoint) {
        var access = rules.pathMatchers(method, endpoint.pattern());
        switch (endpoint.access()) {
            case PUBLIC -> access.permitAll();
            case SIGNED_IN -> access.authenticated();
            case VIEW -> access.hasAuthority(Role.VIEWER.authority());
            case DEPLOY -> access.hasAuthority(Role.DEPLOYER.authority());
            case ADMIN -> access.hasAuthority(Role.ADMIN.authority());
        }
    }

    /**
     * Unsafe requests that a browser's session cookie would authenticate. Without the cookie there is nothing
     * to forge (and the caller hears 401, not a CSRF complaint); token requests cannot be forged cross-site;
     * signing in needs no token (it authenticates nothing yet; SameSite=Lax keeps its cookie first-party).
     */
    private static ServerWebExchangeMatcher cookieAuthenticatedChange() {
        return exchange -> {
            var request = exchange.getRequest();
            boolean exempt = SAFE.contains(request.getMethod())
                    || SessionCookie.secret(request).isEmpty()
                    || BearerTokenAuthentication.presented(request.getHeaders())
                    || (request.getMethod() == HttpMethod.POST && request.getPath().value().equals("/api/session"));
            return exempt ? ServerWebExchangeMatcher.MatchResult.notMatch() : ServerWebExchangeMatcher.MatchResult.match();
        };
    }

    /** The SPA reads XSRF-TOKEN from its cookie: make sure every answer carries one (Spring issues it lazily). */
    private static WebFilter issueCsrfCookie() {
        return (exchange, chain) -> {
            Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
            return (token == null ? Mono.<CsrfToken>empty() : token).then(chain.filter(exchange));
        };
    }
}
