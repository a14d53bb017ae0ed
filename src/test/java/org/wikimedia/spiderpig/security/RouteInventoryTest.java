package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.web.ApiRoutes;
import org.wikimedia.spiderpig.web.Endpoint;

/**
 * Every route is declared in {@link ApiRoutes}: each is documented, each state-changing one needs the
 * deployer's or the admin's access, and each answers an unknown job with the problem format rather than a crash.
 */
@ServerTest
class RouteInventoryTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-routes");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Autowired
    ApiRoutes routes;

    @Test
    void everyRouteIsDocumentedInTheApiReference() throws Exception {
        String reference = Files.readString(Path.of("docs/api.md"));
        for (Endpoint endpoint : routes.endpoints()) {
            assertThat(reference).as("docs/api.md documents %s %s", endpoint.method(), endpoint.pattern())
                    .contains(endpoint.method().name() + " " + endpoint.pattern());
        }
    }

    @Test
    void onlyReadsOfJobsAreOpenToViewersAndEveryChangeToAJobIsADeployersPost() {
        for (Endpoint endpoint : routes.endpoints()) {
            if (!endpoint.pattern().startsWith("/api/jobs")) {
                continue;
            }
            if (endpoint.access() == Endpoint.Access.VIEW) {
                assertThat(endpoint.method()).as(endpoint.pattern()).isEqualTo(HttpMethod.GET);
            } else if (endpoint.access() == Endpoint.Access.DEPLOY) {
                assertThat(endpoint.method()).as(endpoint.pattern()).isEqualTo(HttpMethod.POST);
            } else {
                assertThat(endpoint.access()).as(endpoint.pattern()).isEqualTo(Endpoint.Access.DEPLOY);
            }
        }
        assertThat(routes.endpoints()).allSatisfy(endpoint -> assertThat(endpoint.method())
                .isIn(HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE));
    }

    @Test
    void adminRoutesAreTheAdministrationTheSignOutOfEveryoneAndTheAuditTrail() {
        assertThat(routes.endpoints()).filteredOn(e -> e.access() == Endpoint.Access.ADMIN)
                .allSatisfy(e -> assertThat(e.pattern()).matches("/api/admin/.*|/api/sessions|/api/audit"));
    }

    @Test
    void onlySigningInIsOpenToAnonymousCallers() {
        assertThat(routes.endpoints().stream().filter(e -> e.access() == Endpoint.Access.PUBLIC)
                .map(e -> e.method().name() + " " + e.pattern()))
                .containsExactlyInAnyOrder("GET /api/session", "POST /api/session");
    }

    @Test
    void everyRouteOfAJobAnswersAnUnknownJobWithA404Problem() {
        List<Endpoint> perJob = routes.endpoints().stream().filter(e -> e.pattern().contains("{id}")).toList();
        assertThat(perJob).hasSizeGreaterThan(5);
        for (Endpoint endpoint : perJob) {
            String uri = endpoint.pattern().replace("{id}", "424242").replace("{iid}", "1");
            WebTestClient.RequestBodySpec request = client.method(endpoint.method()).uri(uri);
            WebTestClient.ResponseSpec response = endpoint.method() == HttpMethod.POST
                    ? request.header("Content-Type", "application/json").bodyValue("{\"response\":\"y\"}").exchange()
                    : request.exchange();
            response.expectStatus().isNotFound()
                    .expectHeader().contentType("application/problem+json");
        }
    }
}
