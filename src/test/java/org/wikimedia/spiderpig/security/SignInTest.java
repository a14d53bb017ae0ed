package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.security.SignInFixture.Caller;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.web.JobApiTestAccess;
import tools.jackson.databind.JsonNode;

/** Sign-in on: sessions, CSRF, tokens, unmasked reads, the audit trail and the security headers. */
@ServerTest
@Import(SteppingClock.Installed.class)
class SignInTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-signin");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        SignInFixture.register(registry, DATA);
    }

    @Test
    void signingInSetsAProtectedSessionCookieAndTheSessionSaysWhoIsSignedIn() {
        var result = SignInFixture.signInResult(client, "deployer", SignInFixture.PASSWORD);
        assertThat(result.getStatus().value()).isEqualTo(200);
        ResponseCookie cookie = result.getResponseCookies().getFirst("spiderpig_session");
        assertThat(cookie).isNotNull();
        assertThat(cookie.isHttpOnly()).isTrue();
        assertThat(cookie.getSameSite()).isEqualTo("Lax");
        assertThat(cookie.isSecure()).as("not over TLS here").isFalse();

        Caller deployer = SignInFixture.signIn(client, "deployer", SignInFixture.PASSWORD);
        JsonNode session = Api.parse(deployer.request(client, HttpMethod.GET, "/api/session")
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(session.get("user").asString()).isEqualTo("deployer");
        assertThat(session.get("roles").toString()).isEqualTo("[\"VIEWER\",\"DEPLOYER\"]");
        assertThat(session.get("localMode").asBoolean()).isFalse();
        assertThat(session.get("mayUnmask").asBoolean()).as("a deployer may not unmask by default").isFalse();
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreTheSameFailure() {
        var wrongPassword = SignInFixture.signInResult(client, "viewer", "not the password");
        var unknownUser = SignInFixture.signInResult(client, "nobody-here", "not the password");
        assertThat(wrongPassword.getStatus().value()).isEqualTo(401);
        assertThat(unknownUser.getStatus().value()).isEqualTo(401);
        assertThat(unknownUser.getResponseBody()).isEqualTo(wrongPassword.getResponseBody());
        assertThat(wrongPassword.getResponseCookies().getFirst("spiderpig_session")).isNull();
    }

    @Test
    void aSignedInChangeNeedsTheCsrfTokenAndATokenRequestDoesNot() {
        Caller viewer = SignInFixture.signIn(client, "viewer", SignInFixture.PASSWORD);
        JobApiTestAccess.problem(client.post().uri("/api/tokens").cookie("spiderpig_session", viewer.session())
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"x\"}").exchange(), 403, "csrf-token-missing");

        JsonNode created = Api.parse(viewer.request(client, HttpMethod.POST, "/api/tokens")
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"nightly\"}")
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        String token = created.get("token").asString();
        assertThat(token).startsWith("spt_");

        client.delete().uri("/api/tokens/" + created.get("id").asLong()).header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isNoContent();
    }

    @Test
    void aTokenCarriesItsOwnersRoleOrLessAndIsShownOnlyOnce() {
        Caller deployer = SignInFixture.signIn(client, "deployer", SignInFixture.PASSWORD);
        JobApiTestAccess.problem(deployer.request(client, HttpMethod.POST, "/api/tokens")
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"too much\",\"role\":\"admin\"}")
                .exchange(), 400, "malformed-request");
        String viewerToken = Api.parse(deployer.request(client, HttpMethod.POST, "/api/tokens")
                .header("Content-Type", "application/json").bodyValue("{\"name\":\"read only\",\"role\":\"viewer\"}")
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("token").asString();

        client.get().uri("/api/jobs").header("Authorization", "Bearer " + viewerToken).exchange().expectStatus().isOk();
        JobApiTestAccess.problem(client.post().uri("/api/jobs").header("Authorization", "Bearer " + viewerToken)
                .header("Content-Type", "application/json").bodyValue("{\"command\":\"backport\"}").exchange(), 403, "forbidden");

        String listed = deployer.request(client, HttpMethod.GET, "/api/tokens").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listed).contains("read only").doesNotContain(viewerToken).doesNotContain("\"token\"");
    }

    @Test
    void unmaskedOutputIsForAdminsAndEveryReadIsAudited() {
        Caller deployer = SignInFixture.signIn(client, "deployer", SignInFixture.PASSWORD);
        Caller admin = SignInFixture.signIn(client, "admin", SignInFixture.PASSWORD);
        long id = Api.parse(deployer.request(client, HttpMethod.POST, "/api/jobs")
                .header("Content-Type", "application/json")
                .bodyValue("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[\"12345\"]}}")
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .get("id").asLong();

        JobApiTestAccess.problem(deployer.request(client, HttpMethod.GET, "/api/jobs/" + id + "/log?unmasked=true")
                .exchange(), 403, "forbidden");
        admin.request(client, HttpMethod.GET, "/api/jobs/" + id + "/log?unmasked=true").exchange().expectStatus().isOk();

        String audit = admin.request(client, HttpMethod.GET, "/api/audit?job=" + id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(audit).contains("\"action\":\"unmasked-output-read\"").contains("\"action\":\"job-started\"")
                .contains("\"address\":\"127.0.0.0/24\"");
        assertThat(Api.parse(audit).get("entries").get(0).get("user").asString()).isEqualTo("admin");
    }

    @Test
    void anAdminSignsEveryoneOut() {
        Caller viewer = SignInFixture.signIn(client, "viewer", SignInFixture.PASSWORD);
        Caller admin = SignInFixture.signIn(client, "admin", SignInFixture.PASSWORD);
        viewer.request(client, HttpMethod.GET, "/api/status").exchange().expectStatus().isOk();

        JobApiTestAccess.problem(viewer.request(client, HttpMethod.DELETE, "/api/sessions").exchange(), 403, "forbidden");
        admin.request(client, HttpMethod.DELETE, "/api/sessions").exchange().expectStatus().isOk();

        JobApiTestAccess.problem(viewer.request(client, HttpMethod.GET, "/api/status").exchange(), 401, "unauthorized");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        client.get().uri("/api/session").exchange()
                .expectHeader().valueMatches("Content-Security-Policy", ".*script-src 'self';.*frame-ancestors 'none'.*")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Referrer-Policy", "same-origin");
    }
}
