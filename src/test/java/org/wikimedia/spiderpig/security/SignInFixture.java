package org.wikimedia.spiderpig.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.Api;

/**
 * A server with sign-in on: an accounts file with a viewer, a deployer and an admin, and callers for them, who
 * sign in with a second factor ({@code @Import(SteppingClock.Installed.class)} in the test).
 */
final class SignInFixture {

    static final String PASSWORD = "correct horse battery staple";
    static final String UNSAFE_BODY = "{\"response\":\"y\",\"name\":\"matrix\"}";

    private SignInFixture() {
    }

    /**
     * Sign-in on, local mode off, accounts viewer, deployer, admin and more deployers (cheap bcrypt: tests sign
     * in often), and single sign-on through the shared {@link MockOpenIdProvider}.
     */
    static void register(DynamicPropertyRegistry registry, Path dataDir, String... moreDeployers) {
        Path file = writeAccounts(dataDir, moreDeployers);
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

    /** The accounts file of viewer, deployer, admin and more deployers, in {@code dataDir}. */
    static Path writeAccounts(Path dataDir, String... moreDeployers) {
        Path file = dataDir.resolve("accounts");
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        Map<String, Account> accounts = new LinkedHashMap<>();
        for (String name : List.of("viewer", "deployer", "admin")) {
            accounts.put(name, new Account(name, bcrypt.encode(PASSWORD), List.of(name + "s")));
        }
        for (String name : moreDeployers) {
            accounts.put(name, new Account(name, bcrypt.encode(PASSWORD), List.of("deployers")));
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

    /** TOTP secrets of the users the fixture enrolled, per server (each test context has its own database). */
    private static final Map<WebTestClient, Map<String, byte[]>> SECRETS = new WeakHashMap<>();

    /**
     * Signs in as the CSRF-aware browser does: fetch the XSRF-TOKEN cookie, POST the password, enrol the second
     * factor the first time, then give the code. Needs {@link SteppingClock} installed in the server.
     */
    static Caller signIn(WebTestClient client, String user, String password) {
        Caller pending = passwordOnly(client, user, password);
        byte[] secret = secrets(client).get(user);
        if (secret == null) {
            String begun = pending.request(client, HttpMethod.POST, "/api/session/second-factor/enrolment")
                    .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            secret = Base32.decode(Api.parse(begun).get("secret").asString());
            secrets(client).put(user, secret);
        }
        EntityExchangeResult<String> proved = pending.request(client, HttpMethod.POST, "/api/session/second-factor")
                .header("Content-Type", "application/json").bodyValue(Map.of("code", nextCode(secret)))
                .exchange().expectBody(String.class).returnResult();
        return new Caller(sessionCookie(proved), pending.csrf(), null);
    }

    /** A session that has passed the password and not (yet) the second factor. */
    static Caller passwordOnly(WebTestClient client, String user, String password) {
        return new Caller(sessionCookie(signInResult(client, user, password)), csrfToken(client), null);
    }

    /** The code of the next step of {@link SteppingClock}: never one the server has accepted before. */
    static String nextCode(byte[] secret) {
        return Totp.code(secret, Totp.step(SteppingClock.INSTANCE.nextStep()), Totp.DIGITS);
    }

    static byte[] secret(WebTestClient client, String user) {
        return secrets(client).get(user);
    }

    private static Map<String, byte[]> secrets(WebTestClient client) {
        synchronized (SECRETS) {
            return SECRETS.computeIfAbsent(client, c -> new ConcurrentHashMap<>());
        }
    }

    private static String sessionCookie(EntityExchangeResult<String> result) {
        ResponseCookie cookie = result.getResponseCookies().getFirst("spiderpig_session");
        if (cookie == null) {
            throw new AssertionError("no session cookie: " + result);
        }
        return cookie.getValue();
    }

    static EntityExchangeResult<String> signInResult(WebTestClient client, String user, String password) {
        return client.post().uri("/api/session").header("Content-Type", "application/json")
                .bodyValue(Map.of("user", user, "password", password))
                .exchange().expectBody(String.class).returnResult();
    }

    /** Password and code in one request, as a script may sign in. */
    static EntityExchangeResult<String> signInResult(WebTestClient client, String user, String password, String code) {
        return client.post().uri("/api/session").header("Content-Type", "application/json")
                .bodyValue(Map.of("user", user, "password", password, "code", code))
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
