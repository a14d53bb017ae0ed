package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.security.MockOpenIdProvider.Browser;
import org.wikimedia.spiderpig.store.AuditStore.AuditEntry;
import org.wikimedia.spiderpig.store.AuditStore.AuditQuery;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * Single sign-on end to end against a real OpenID provider: the browser's redirects, the provider's signed ID
 * token checked by Spring Security, groups to roles, and our own session at the end. Nothing bypassed.
 */
@ServerTest
class OidcSignInTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-oidc");
    static final MockOpenIdProvider PROVIDER = new MockOpenIdProvider();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PROVIDER.register(registry, DATA);
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop();
    }

    @Autowired
    AuditTrail audit;

    @Test
    void aDeployerSignsInThroughTheProviderAndGetsASessionWithTheirGroupsRole() {
        PROVIDER.nextUser("alice", Map.of("groups", List.of("wiki-editors", "deployers")));
        Browser browser = new Browser();

        HttpResponse<String> end = browser.signIn(port, true);

        assertThat(end.uri().getPath()).as("back at the web UI").isEqualTo("/");
        String session = browser.cookie("spiderpig_session").orElseThrow();
        JsonNode me = Api.parse(client.get().uri("/api/session").cookie("spiderpig_session", session)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(me.get("user").asString()).isEqualTo("alice");
        assertThat(me.get("roles").toString()).isEqualTo("[\"VIEWER\",\"DEPLOYER\"]");
        client.get().uri("/api/jobs").cookie("spiderpig_session", session).exchange().expectStatus().isOk();
        assertThat(audited("alice", "signed-in")).extracting(AuditEntry::detail).containsExactly("single sign-on");
    }

    @Test
    void aSingleSignOnUserMakesATokenThatCarriesTheirRole() {
        PROVIDER.nextUser("dora", Map.of("groups", List.of("viewers")));
        Browser browser = new Browser();
        browser.signIn(port, true);
        String session = browser.cookie("spiderpig_session").orElseThrow();
        String csrf = SignInFixture.csrfToken(client);

        String token = Api.parse(client.post().uri("/api/tokens").cookie("spiderpig_session", session)
                .cookie("XSRF-TOKEN", csrf).header("X-XSRF-TOKEN", csrf).header("Content-Type", "application/json")
                .bodyValue("{\"name\":\"report\"}").exchange().expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).get("token").asString();

        client.get().uri("/api/jobs").header("Authorization", "Bearer " + token).exchange().expectStatus().isOk();
        client.post().uri("/api/jobs").header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .bodyValue("{\"command\":\"backport\",\"parameters\":{\"changeIds\":[\"1\"]}}")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aUserInNoMappedGroupIsRefusedWithAPageThatSaysWhy() {
        PROVIDER.nextUser("carol", Map.of("groups", List.of("wiki-editors")));
        Browser browser = new Browser();

        HttpResponse<String> end = browser.signIn(port, true);

        assertThat(end.statusCode()).isEqualTo(403);
        assertThat(end.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(end.body()).contains("No role on this server", "carol is in none of the groups that give a role here",
                "the groups wiki-editors", "Sign in with Wikimedia again");
        assertThat(browser.cookie("spiderpig_session")).isEmpty();
        assertThat(audited("carol", "sign-in-refused")).extracting(AuditEntry::detail).containsExactly("no-role");
    }

    @Test
    void aScriptFollowingTheFlowHearsTheRefusalAsAProblem() {
        PROVIDER.nextUser("erin", Map.of());
        HttpResponse<String> end = new Browser().signIn(port, false);

        assertThat(end.statusCode()).isEqualTo(403);
        JsonNode problem = Api.parse(end.body());
        assertThat(problem.get("type").asString()).endsWith("/no-role");
        assertThat(problem.get("detail").asString()).contains("erin", "the provider says no groups");
    }

    @Test
    void theSessionNamesTheProviderToSignInWith() {
        JsonNode session = Api.parse(client.get().uri("/api/session").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(session.get("user").isNull()).isTrue();
        assertThat(session.get("signInMethods").toString())
                .isEqualTo("[{\"type\":\"oidc\",\"name\":\"Wikimedia\",\"start\":\"/oauth2/authorization/oidc\"}]");
    }

    private List<AuditEntry> audited(String user, String action) {
        return audit.find(new AuditQuery(user, action, null, null, 10)).block();
    }
}
