package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** docs/openapi.json is what the server serves at /v3/api-docs, and it describes every route. */
@ServerTest
class OpenApiDocumentTest extends ServerTestSupport {

    static final Path DOCUMENT = Path.of("docs/openapi.json");
    static final String REGENERATE = "mvn -Dfrontend.skip=true test -Dtest=OpenApiDocumentTest -Dopenapi.write=true";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spiderpig.data-dir", () -> TestScripts.tempDirectory("spiderpig-openapi").toString());
    }

    @Test
    void theCommittedDescriptionIsCurrent() throws Exception {
        String served = client.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonMapper json = JsonMapper.builder().build();
        String pretty = json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(served)) + "\n";
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(DOCUMENT, pretty);
        }
        String committed = Files.exists(DOCUMENT) ? Files.readString(DOCUMENT) : "";
        assertThat(committed).as("docs/openapi.json is out of date with the routes; regenerate it with: %s", REGENERATE)
                .isEqualTo(pretty);
    }

    @Test
    void everyRouteIsDescribed() {
        JsonNode paths = api.get("/v3/api-docs").get("paths");
        assertThat(paths.get("/api/jobs").get("post").get("summary").asString()).isEqualTo("Start a job");
        assertThat(paths.get("/api/jobs/{id}/events").get("get").get("responses").get("200").get("content")
                .has("text/event-stream")).isTrue();
        assertThat(paths.get("/api/jobs/{id}/interactions/{iid}").get("post").get("parameters")).hasSize(2);
    }
}
