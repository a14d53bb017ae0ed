package org.wikimedia.spiderpig.gerrit;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Change details from Gerrit's REST API, without blocking: {@code GET {gerrit}/changes/{number}}. */
public class GerritClient implements ChangeDetailsSource {

    /** Gerrit starts every JSON answer with this line so that a browser cannot run it as a script. */
    static final String XSSI_PREFIX = ")]}'";

    private final WebClient web;
    private final String baseUrl;
    private final Duration timeout;
    private final JsonMapper json;

    public GerritClient(WebClient.Builder builder, String baseUrl, Duration timeout, JsonMapper json) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.web = builder.baseUrl(this.baseUrl).build();
        this.timeout = timeout;
        this.json = json;
    }

    @Override
    public Mono<ChangeDetails> fetch(String number) {
        return web.get()
                .uri("/changes/{number}?o=CURRENT_REVISION&o=CURRENT_COMMIT", number)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(timeout)
                .map(body -> parse(number, body))
                .onErrorMap(error -> !(error instanceof Problem), error -> translate(number, error));
    }

    private Problem translate(String number, Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return response.getStatusCode().value() == HttpStatus.NOT_FOUND.value()
                    ? ChangeDetailsSource.unknownChange(number)
                    : ChangeDetailsSource.unavailable(number, "it answered HTTP " + response.getStatusCode().value());
        }
        if (error instanceof TimeoutException) {
            return ChangeDetailsSource.unavailable(number, "it did not answer within " + timeout.toMillis() + " ms");
        }
        return ChangeDetailsSource.unavailable(number, "it could not be reached (" + error.getClass().getSimpleName() + ")");
    }

    ChangeDetails parse(String number, String body) {
        String text = body.startsWith(XSSI_PREFIX) ? body.substring(XSSI_PREFIX.length()) : body;
        JsonNode change;
        try {
            change = json.readTree(text);
        } catch (JacksonException e) {
            throw ChangeDetailsSource.unavailable(number, "its answer was not JSON");
        }
        if (!change.isObject() || !change.path("_number").isNumber() || !change.path("project").isString()) {
            throw ChangeDetailsSource.unavailable(number, "its answer was not a change");
        }
        String revision = change.path("current_revision").asString("");
        String message = change.path("revisions").path(revision).path("commit").path("message").asString(null);
        String project = change.path("project").asString();
        String changeNumber = Long.toString(change.path("_number").asLong());
        return new ChangeDetails(changeNumber, project, change.path("branch").asString(null),
                change.path("subject").asString(null), change.path("status").asString(null), message,
                baseUrl + "/c/" + project + "/+/" + changeNumber, null);
    }
}
