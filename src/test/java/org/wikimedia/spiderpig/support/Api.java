package org.wikimedia.spiderpig.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API as a test uses it: start jobs, read them, wait for them by polling with a deadline. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient client;

    public Api(WebTestClient client) {
        this.client = client;
    }

    public WebTestClient client() {
        return client;
    }

    public JsonNode start(String command, Map<String, Object> parameters) {
        byte[] body = client.post().uri("/api/jobs").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("command", command, "parameters", parameters))
                .exchange()
                .expectStatus().isCreated()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    public JsonNode startBackport(String... changeIds) {
        return start("backport", Map.of("changeIds", List.of(changeIds)));
    }

    public JsonNode job(long id) {
        return get("/api/jobs/" + id);
    }

    public JsonNode get(String uri) {
        byte[] body = client.get().uri(uri).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    /** Polls the job until the condition holds; fails after the deadline with the job's last state. */
    public JsonNode awaitJob(long id, Predicate<JsonNode> condition, String what) {
        return await("job " + id + ": " + what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(25))
                .until(() -> job(id), condition);
    }

    public JsonNode awaitState(long id, String state) {
        return awaitJob(id, job -> job.get("state").asString().equals(state), "state " + state);
    }

    public JsonNode awaitPrompt(long id) {
        return awaitJob(id, job -> !job.get("pendingInteraction").isNull(), "a pending prompt").get("pendingInteraction");
    }

    public WebTestClient.ResponseSpec answer(long jobId, long interactionId, String response) {
        return client.post().uri("/api/jobs/{id}/interactions/{iid}", jobId, interactionId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("response", response))
                .exchange();
    }

    /** GET with the JDK's client, for answers larger than the test WebTestClient buffers (64 KiB). */
    public static JsonNode getLarge(String url) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            return parse(response.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode parse(String json) {
        return JSON.readTree(json);
    }
}
