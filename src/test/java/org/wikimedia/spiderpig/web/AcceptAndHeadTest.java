package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * What browsers, EventSource, fetch and curl send as Accept keeps working on every route, and HEAD answers
 * like GET without the body (at once, on streams too). The refusals are in {@link BadRequestCatalogueTest}.
 */
@ServerTest
class AcceptAndHeadTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-accept");
    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestScripts.jobType(registry, DATA, "quick", "echo hello\n");
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Test
    void whatClientsSendAsAcceptIsAnsweredInTheRouteType() {
        long id = finishedJob();
        // path, Accept ("": none), the Content-Type of the answer
        List<List<String>> cases = List.of(
                List.of("/api/jobs", "", "application/json"),
                List.of("/api/jobs", "*/*", "application/json"),
                List.of("/api/jobs", BROWSER, "application/json"),
                List.of("/api/jobs/" + id, "application/json", "application/json"),
                List.of("/api/jobs/" + id, "application/*", "application/json"),
                List.of("/api/status", BROWSER, "application/json"),
                List.of("/api/jobs/" + id + "/log", "*/*", "application/json"),
                List.of("/api/jobs/" + id + "/log", "application/json, text/plain", "application/json"),
                List.of("/api/jobs/" + id + "/log", "text/plain", "text/plain"),
                List.of("/api/jobs/" + id + "/log", "application/json;q=0, text/plain", "text/plain"),
                List.of("/api/jobs/" + id + "/log", BROWSER, "application/json"),
                List.of("/api/jobs/" + id + "/log.txt", BROWSER, "text/plain;charset=UTF-8"),
                List.of("/api/jobs/" + id + "/log.txt", "*/*", "text/plain;charset=UTF-8"),
                List.of("/api/jobs/" + id + "/log.txt", "", "text/plain;charset=UTF-8"),
                List.of("/api/jobs/" + id + "/events", "text/event-stream", "text/event-stream"),
                List.of("/api/jobs/" + id + "/events", "*/*", "text/event-stream"),
                List.of("/api/jobs/" + id + "/events", BROWSER, "text/event-stream"),
                List.of("/api/events", "text/event-stream", "text/event-stream"),
                List.of("/api/events", "", "text/event-stream"));
        for (List<String> c : cases) {
            HttpResponse<InputStream> response = send("GET", c.get(0), c.get(1));
            close(response);
            assertThat(response.statusCode()).as("GET %s with Accept %s", c.get(0), c.get(1)).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).as("GET %s with Accept %s", c.get(0), c.get(1))
                    .hasValue(c.get(2));
        }
    }

    @Test
    void headAnswersLikeGetWithoutTheBody() throws IOException {
        long id = finishedJob();
        Map<String, String> types = Map.of(
                "/api/status", "application/json",
                "/api/jobs", "application/json",
                "/api/jobs/" + id, "application/json",
                "/api/jobs/" + id + "/log", "application/json",
                "/api/jobs/" + id + "/log/size", "application/json",
                "/api/jobs/" + id + "/log.txt", "text/plain;charset=UTF-8",
                "/api/jobs/" + id + "/interactions", "application/json",
                "/api/jobs/" + id + "/events", "text/event-stream",
                "/api/events", "text/event-stream");
        for (Map.Entry<String, String> route : types.entrySet()) {
            HttpResponse<InputStream> head = send("HEAD", route.getKey(), "");
            assertThat(head.statusCode()).as("HEAD %s", route.getKey()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).as("HEAD %s", route.getKey()).hasValue(route.getValue());
            assertThat(head.body().readAllBytes()).as("HEAD %s", route.getKey()).isEmpty();
        }
        assertThat(send("HEAD", "/api/jobs/" + id + "/log.txt", "").headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(disposition -> assertThat(disposition).startsWith("attachment"));
        // the plain-text download the web UI links to, as a browser asks for it
        HttpResponse<InputStream> plain = send("HEAD", "/api/jobs/" + id + "/log.txt?ansi=strip", BROWSER);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        assertThat(plain.body().readAllBytes()).isEmpty();

        HttpResponse<InputStream> unknown = send("HEAD", "/api/jobs/999999", "");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(unknown.body().readAllBytes()).isEmpty();

        HttpResponse<InputStream> postOnly = send("HEAD", "/api/jobs/" + id + "/cancel", "");
        close(postOnly);
        assertThat(postOnly.statusCode()).isEqualTo(405);
        assertThat(postOnly.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<InputStream> delete = send("DELETE", "/api/jobs/" + id, "");
        close(delete);
        assertThat(delete.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    private long finishedJob() {
        long id = api.start("quick", Map.of()).get("id").asLong();
        api.awaitState(id, "succeeded");
        return id;
    }

    /** Answers once the head has arrived, so that an endless stream can be looked at too. */
    private HttpResponse<InputStream> send(String method, String path, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!accept.isEmpty()) {
            request.header("Accept", accept);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
