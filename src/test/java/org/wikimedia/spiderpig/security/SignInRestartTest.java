package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.InProcessServer;
import org.wikimedia.spiderpig.support.TestScripts;

/** What sign-in keeps in the database outlives the server: sessions, and the throttle's locks. */
class SignInRestartTest {

    @Test
    void aSessionAndALockOutlastARestart() {
        Path data = TestScripts.tempDirectory("spiderpig-signin-restart");
        Path accounts = SignInFixture.writeAccounts(data);
        // the second factor has tests of its own (its replay guard across a restart: SecondFactorsTest)
        String[] settings = {"--spiderpig.security.accounts-file=" + accounts, "--spiderpig.security.local-mode=false",
                "--spiderpig.security.second-factor.required=false"};

        String session;
        try (InProcessServer first = InProcessServer.start(data, settings)) {
            WebTestClient client = first.api().client();
            // no second factor asked: the password alone gives the full session
            session = SignInFixture.passwordOnly(client, "deployer", SignInFixture.PASSWORD).session();
            for (int i = 1; i <= SignInThrottle.MAX_FAILURES; i++) {
                assertThat(SignInFixture.signInResult(client, "viewer", "wrong password " + i).getStatus().value())
                        .isEqualTo(401);
            }
            assertThat(SignInFixture.signInResult(client, "viewer", SignInFixture.PASSWORD).getStatus().value())
                    .isEqualTo(429);
        }

        try (InProcessServer second = InProcessServer.start(data, settings)) {
            WebTestClient client = second.api().client();
            String me = client.get().uri("/api/session").cookie("spiderpig_session", session).exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(Api.parse(me).get("user").asString()).isEqualTo("deployer");
            var stillLocked = SignInFixture.signInResult(client, "viewer", SignInFixture.PASSWORD);
            assertThat(stillLocked.getStatus().value()).isEqualTo(429);
            assertThat(Long.parseLong(stillLocked.getResponseHeaders().getFirst("Retry-After"))).isGreaterThan(60);
        }
    }
}
