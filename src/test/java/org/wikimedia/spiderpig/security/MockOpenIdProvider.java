package org.wikimedia.spiderpig.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real OpenID provider (mock-oauth2-server: discovery, JWKS, signed ID tokens, the authorization-code flow)
 * and a browser-like client that follows the flow's redirects with a cookie jar.
 */
final class MockOpenIdProvider {

    static final String CLIENT_ID = "spiderpig";
    static final String CLIENT_SECRET = "not-so-secret";
    private static final String ISSUER_ID = "wikimedia";

    private static MockOpenIdProvider shared;

    private final MockOAuth2Server server = new MockOAuth2Server();

    /** One provider for every test server of this JVM that only needs one to exist (same settings: one cached context). */
    static synchronized MockOpenIdProvider shared() {
        if (shared == null) {
            shared = new MockOpenIdProvider();
        }
        return shared;
    }

    MockOpenIdProvider() {
        server.start();
    }

    String issuer() {
        return server.issuerUrl(ISSUER_ID).toString();
    }

    /** Sign-in on through this provider only, local mode off. */
    void register(DynamicPropertyRegistry registry, java.nio.file.Path dataDir) {
        registry.add("spiderpig.data-dir", dataDir::toString);
        registry.add("spiderpig.security.local-mode", () -> "false");
        registerClient(registry);
    }

    /** Single sign-on through this provider. */
    void registerClient(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.security.oidc.issuer", this::issuer);
        registry.add("spiderpig.security.oidc.client-id", () -> CLIENT_ID);
        registry.add("spiderpig.security.oidc.client-secret", () -> CLIENT_SECRET);
        registry.add("spiderpig.security.oidc.provider-name", () -> "Wikimedia");
    }

    /** The claims the provider will vouch for at the next token request. */
    void nextUser(String name, Map<String, Object> claims) {
        var all = new java.util.LinkedHashMap<String, Object>(claims);
        all.putIfAbsent("preferred_username", name);
        server.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, "sub-" + name, "JWT", List.of(CLIENT_ID), all, 3600));
    }

    /** The query of the next authorization request the browser made, skipping discovery, keys and tokens. */
    String nextAuthorizationQuery() {
        for (int i = 0; i < 50; i++) {
            RecordedRequest request = server.takeRequest(30, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            if (request.getRequestUrl().encodedPath().endsWith("/authorize")) {
                return request.getRequestUrl().query();
            }
        }
        throw new AssertionError("the provider saw no authorization request");
    }

    void stop() {
        server.shutdown();
    }

    /** A browser: a cookie jar, redirects followed, asking for HTML or (html=false) anything. */
    static final class Browser {

        private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();

        /** Starts single sign-on at the server and follows it to its end. */
        HttpResponse<String> signIn(int port, boolean html) {
            return get("http://127.0.0.1:" + port + OidcClient.START_PATH, html);
        }

        HttpResponse<String> get(String uri, boolean html) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60))
                        .header("Accept", html ? "text/html,application/xhtml+xml" : "application/json").GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        Optional<String> cookie(String name) {
            return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                    .map(HttpCookie::getValue).findFirst();
        }
    }
}
