package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.security.SignInFixture.Caller;
import org.wikimedia.spiderpig.store.TokenStore;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.web.ApiRoutes;
import org.wikimedia.spiderpig.web.Endpoint;
import org.wikimedia.spiderpig.web.Endpoint.Access;

/**
 * Every route of {@link ApiRoutes} × every kind of caller (local accounts, single sign-on, tokens), with sign-in on,
 * through the real security chain:
 * a route a caller may use never answers 401/403, and one they may not always does.
 */
@ServerTest
@Import(SteppingClock.Installed.class)
class AccessMatrixTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-matrix");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SignInFixture.register(registry, DATA);
    }

    @Autowired
    ApiRoutes routes;

    @Autowired
    TokenStore tokenStore;

    private Supplier<Caller> freshSessions(String user) {
        return () -> SignInFixture.signIn(client, user, SignInFixture.PASSWORD);
    }

    private static String uri(Endpoint endpoint) {
        return endpoint.pattern().replace("{id}", "424242").replace("{iid}", "1").replace("{change}", "12345")
                .replace("{user}", "nobody");
    }

    private void check(String who, Caller caller, Access highestAllowed, boolean signedIn) {
        check(who, () -> caller, highestAllowed, signedIn);
    }

    private void check(String who, Supplier<Caller> caller, Access highestAllowed, boolean signedIn) {
        check(who, caller, highestAllowed, signedIn, signedIn ? 403 : 401);
    }

    /** {@code caller} is asked for each route: a route that signs out must not spoil the next. */
    private void check(String who, Supplier<Caller> caller, Access highestAllowed, boolean signedIn, int denial) {
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : routes.endpoints()) {
            int status = caller.get().status(client, endpoint.method(), uri(endpoint));
            String route = endpoint.method() + " " + endpoint.pattern();
            boolean allowed = endpoint.access() == Access.PUBLIC
                    || (signedIn && endpoint.access() == Access.SIGNED_IN)
                    || (highestAllowed != null && endpoint.access() != Access.SIGNED_IN
                        && endpoint.access().compareTo(highestAllowed) <= 0);
            if (allowed ? status == 401 || status == 403 : status != denial) {
                wrong.add(who + " " + route + " → " + status + " (expected " + (allowed ? "allowed" : denial) + ")");
            }
        }
        assertThat(wrong).as("routes answering %s wrongly", who).isEmpty();
    }

    /** A bad token is a 401 on every route, even the open ones: a script should hear that its token is dead. */
    private void checkRefusedEverywhere(String who, Caller caller) {
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : routes.endpoints()) {
            int status = caller.status(client, endpoint.method(), uri(endpoint));
            if (status != 401) {
                wrong.add(who + " " + endpoint.method() + " " + endpoint.pattern() + " → " + status + " (expected 401)");
            }
        }
        assertThat(wrong).as("routes answering %s wrongly", who).isEmpty();
    }

    @Test
    void everyRouteAnswersEveryKindOfCallerAsItsRoleAllows() {
        Caller viewer = SignInFixture.signIn(client, "viewer", SignInFixture.PASSWORD);

        String revoked = client.post().uri("/api/tokens").cookie("spiderpig_session", viewer.session())
                .cookie("XSRF-TOKEN", viewer.csrf()).header("X-XSRF-TOKEN", viewer.csrf())
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"to revoke\"}")
                .exchange().expectStatus().isCreated()
                .expectBody(TokenJson.class).returnResult().getResponseBody().token();
        long revokedId = client.get().uri("/api/tokens").header("Authorization", "Bearer " + revoked)
                .exchange().expectStatus().isOk().expectBody(TokenList.class).returnResult().getResponseBody()
                .tokens().get(0).id();
        assertThat(viewer.status(client, HttpMethod.DELETE, "/api/tokens/" + revokedId)).isEqualTo(204);

        String expired = "spt_expired-for-the-matrix";
        Instant past = Instant.now().minusSeconds(3600);
        tokenStore.create(Secrets.hash(expired), "admin", "expired", "ADMIN", past, past.plusSeconds(60)).block();

        check("anonymous", Caller.ANONYMOUS, null, false);
        checkRefusedEverywhere("expired token", Caller.token(expired));
        checkRefusedEverywhere("revoked token", Caller.token(revoked));
        check("viewer", freshSessions("viewer"), Access.VIEW, true);
        check("deployer", freshSessions("deployer"), Access.DEPLOY, true);
        check("admin", freshSessions("admin"), Access.ADMIN, true);
        // Past the password only: the sign-in flow's routes (SIGNED_IN) and nothing else, which says 401 "finish signing in".
        check("valid session without second factor",
                () -> SignInFixture.passwordOnly(client, "admin", SignInFixture.PASSWORD), null, true, 401);
        check("single sign-on deployer", () -> SignInFixture.singleSignOn(client, port, "sso-deployer", List.of("deployers")),
                Access.DEPLOY, true);

        assertThat(SignInFixture.signInResult(client, "deployer", "wrong password").getStatus().value()).isEqualTo(401);
        check("wrong password", Caller.ANONYMOUS, null, false);

        for (int i = 1; i < SignInThrottle.MAX_FAILURES; i++) {
            SignInFixture.signInResult(client, "viewer", "wrong password " + i);
        }
        var locked = SignInFixture.signInResult(client, "viewer", SignInFixture.PASSWORD);
        assertThat(locked.getStatus().value()).isEqualTo(429);
        assertThat(locked.getResponseHeaders().getFirst("Retry-After")).matches("\\d+");
        check("locked account", Caller.ANONYMOUS, null, false);
    }

    record TokenJson(long id, String token) {
    }

    record TokenList(List<TokenJson> tokens) {
    }
}
