package org.wikimedia.spiderpig.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A server with sign-in on: an accounts file with a viewer, a deployer and an admin, and callers for them. */
final class SignInFixture {

    static final String PASSWORD = "correct horse battery staple";
    static final String UNSAFE_BODY = "{\"response\":\"y\",\"name\":\"matrix\"}";

    private SignInFixture() {
    }

    /**
     * Sign-in on, local mode off, accounts viewer, deployer and admin (cheap bcrypt: tests sign in often), and
     * single sign-on through the shared {@link MockOpenIdProvider}.
     */
    static void register(DynamicPropertyRegistry registry, Path dataDir) {
        Path file = writeAccounts(dataDir);
        registry.add("spiderpig.data-dir", dataDir::toString);
        registry.add("spiderpig.security.accounts-file", file::toString);
        registry.add("spiderpig.security.local-mode", () -> "false");
        MockOpenIdProvider.shared().registerClient(registry);
    }

    /** Signs in through the shared provider as a user of these groups, with the CSRF token a page would have. */
    static Caller singleSignOn(WebTestClient client, int port, String user, List<String> groups) {
        MockOpenIdProvider.shared().nextUser(user, Map.of("groups", groups));
        MockOpenIdProvider.Browser browser = new MockOpenIdProvider.Browser();
        browser.signIn(port, true);
        String session = browser.cookie("spiderpig_session")
                .orElseThrow(() -> new AssertionError("single sign-on as " + user + " gave no session"));
        return new Caller(session, csrfToken(client), null);
    }

    /** The accounts file of viewer, deployer and admin, in {@code dataDir}. */
    static Path writeAccounts(Path dataDir) {
        Path file = dataDir.resolve("accounts");
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (String name : List.of("viewer", "deployer", "admin")) {
            accounts.put(name, new Account(name, bcrypt.encode(PASSWORD), List.of(name + "s")));
        }
        try {
            AccountsFile.write(file, accounts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Who makes a request: nobody, a session (cookie and CSRF token) or a token. */
    record Caller(String session, String csrf, String bearer) {

        static final Caller ANONYMOUS = new Caller(null, null, null);

        static Caller token(String token) {
            return new Caller(null, null, token);
        }

        WebTestClient.RequestBodySpec request(WebTestClient client, HttpMethod method, String uri) {
            WebTestClient.RequestBodySpec spec = client.method(method).uri(uri);
            if (session != null) {
                spec.cookie("spiderpig_session", session);
            }
            if (csrf != null) {
                spec.cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf);
            }
            if (bearer != null) {
                spec.header("Authorization", "Bearer " + bearer);
            }
            return spec;
        }

        /** The answer's status; streams are not read beyond their headers. */
        int status(WebTestClient client, HttpMethod method, String uri) {
            WebTestClient.RequestBodySpec spec = request(client, method, uri);
            if (method != HttpMethod.GET) {
                spec.header("Content-Type", "application/json").bodyValue(UNSAFE_BODY);
            }
            var result = spec.exchange().returnResult(byte[].class);
            result.getResponseBody().subscribe().dispose();
            return result.getStatus().value();
        }
    }

    /** Signs in as the CSRF-aware browser does: fetch the XSRF-TOKEN cookie, then POST the password. */
    static Caller signIn(WebTestClient client, String user, String password) {
        EntityExchangeResult<String> session = signInResult(client, user, password);
        ResponseCookie cookie = session.getResponseCookies().getFirst("spiderpig_session");
        if (cookie == null) {
            throw new AssertionError("no session cookie: " + session);
        }
        return new Caller(cookie.getValue(), csrfToken(client), null);
    }

    static EntityExchangeResult<String> signInResult(WebTestClient client, String user, String password) {
        return client.post().uri("/api/session").header("Content-Type", "application/json")
                .bodyValue(Map.of("user", user, "password", password))
                .exchange().expectBody(String.class).returnResult();
    }

    static String csrfToken(WebTestClient client) {
        ResponseCookie cookie = client.get().uri("/api/session").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseCookies().getFirst("XSRF-TOKEN");
        if (cookie == null) {
            throw new AssertionError("GET /api/session set no XSRF-TOKEN cookie");
        }
        return cookie.getValue();
    }
}
