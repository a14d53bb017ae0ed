package org.wikimedia.spiderpig.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/** The server's HTTP API as the client uses it: JSON in and out, failures as {@link ClientFailure}s. */
final class ApiClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String base;
    private final String token;
    private final HttpClient http;
    private final CompletableFuture<JsonMapper> json;

    ApiClient(String baseUrl, String token) {
        this.base = checkedBase(baseUrl);
        this.token = token;
        // Building a mapper loads hundreds of classes: done beside the first request, not before it.
        this.json = CompletableFuture.supplyAsync(() -> JsonMapper.builder().build());
        HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        if (base.startsWith("http:")) {
            http.sslContext(unusedTls());
        }
        // HTTP/1.1: SSE over a plain connection, with no attempt to upgrade to h2c.
        this.http = http.build();
    }

    JsonMapper json() {
        return json.join();
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(request(path).timeout(REQUEST_TIMEOUT).header("Accept", "application/json").GET().build());
    }

    JsonNode post(String path, Object body) {
        return send(request(path).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json().writeValueAsString(body), StandardCharsets.UTF_8))
                .build());
    }

    /** Opens a job's event stream after {@code lastEventId} (or from {@code query}'s position when it is null). */
    EventStreamConnection events(long jobId, String query, String lastEventId) {
        HttpRequest.Builder request = request("/api/jobs/" + jobId + "/events" + (query == null ? "" : "?" + query))
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new EventStreamConnection(http, request.build(), this);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientFailure(ExitCodes.UNREACHABLE, "interrupted while waiting for the server", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw problem(response.statusCode(), response.body());
        }
        try {
            return json().readTree(response.body());
        } catch (JacksonException e) {
            throw new ClientFailure(ExitCodes.BAD_ANSWER, request.method() + " " + request.uri()
                    + " answered something that is not JSON: " + abbreviated(response.body()));
        }
    }

    /** A failed answer as the user should read it: the problem's detail, else its title, else the status. */
    ServerProblem problem(int status, String body) {
        JsonNode problem;
        try {
            problem = json().readTree(body);
        } catch (JacksonException notAProblem) {
            problem = MissingNode.getInstance();
        }
        String type = problem.path("type").asString("");
        String detail = problem.path("detail").asString("");
        if (detail.isBlank()) {
            detail = problem.path("title").asString("");
        }
        if (detail.isBlank()) {
            detail = "the server answered HTTP " + status + (body == null || body.isBlank() ? "" : ": " + abbreviated(body));
        }
        return new ServerProblem(status, type.substring(type.lastIndexOf('/') + 1), detail, problem);
    }

    ClientFailure unreachable(Throwable cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ClientFailure(ExitCodes.UNREACHABLE, "cannot reach the server at " + base + ": " + reason, cause);
    }

    /**
     * The client never speaks TLS to an http:// server, but the JDK's client builds the default TLS
     * context (reading every trusted certificate) unless given one: an empty one costs nothing.
     */
    private static SSLContext unusedTls() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[0], new TrustManager[0], null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    private static String checkedBase(String url) {
        String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        try {
            URI uri = new URI(trimmed);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ClientFailure(ExitCodes.USAGE, "the server address must be an http(s) URL, not \"" + url + "\"");
            }
        } catch (URISyntaxException e) {
            throw new ClientFailure(ExitCodes.USAGE, "the server address is not a URL: " + e.getMessage());
        }
        return trimmed;
    }

    private static String abbreviated(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
    }
}
