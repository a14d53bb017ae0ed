package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import org.wikimedia.spiderpig.web.JobApiTestAccess;
import tools.jackson.databind.JsonNode;

/** The embedded default: on loopback without sign-in, everyone on this machine is the local admin. */
@ServerTest
class LocalModeTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-local-mode");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", DATA::toString);
        registry.add("spiderpig.users.local-user", () -> "localperson");
    }

    @Test
    void theSessionSaysLocalModeAndTheLocalUserIsAnAdmin() {
        JsonNode session = Api.parse(client.get().uri("/api/session").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        assertThat(session.get("localMode").asBoolean()).isTrue();
        assertThat(session.get("user").asString()).isEqualTo("localperson");
        assertThat(session.get("roles").toString()).contains("ADMIN");
        assertThat(session.get("mayUnmask").asBoolean()).as("the unmasked role is admin by default").isTrue();
    }

    @Test
    void thereIsNoSignInInLocalMode() {
        JobApiTestAccess.problem(client.post().uri("/api/session").header("Content-Type", "application/json")
                .bodyValue("{\"user\":\"a\",\"password\":\"b\"}").exchange(), 409, "local-mode");
    }

    @Test
    void aRequestForwardedByAProxyIsNotTheLocalUser() {
        JobApiTestAccess.problem(client.get().uri("/api/status").header("X-Forwarded-For", "203.0.113.9").exchange(),
                401, "unauthorized");
        client.get().uri("/api/status").exchange().expectStatus().isOk();
    }
}
