package org.wikimedia.spiderpig.gerrit;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.wikimedia.spiderpig.train.TrainBlockersSource;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * This week's train from the train-blockers JSON API ({@code GET {url}} answering
 * {@code {"current": {"version", "task_id", "status", "date"}}}), without blocking. It sits beside the Gerrit
 * client because both are Wikimedia's services asked over the same bounded HTTP client.
 */
public class TrainBlockersClient implements TrainBlockersSource {

    private static final Pattern TASK = Pattern.compile("T?([1-9][0-9]{0,8})");

    private final WebClient web;
    private final String url;
    private final Duration timeout;
    private final JsonMapper json;
    private final String phabricatorUrl;

    public TrainBlockersClient(WebClient.Builder builder, String url, Duration timeout, JsonMapper json,
                               String phabricatorUrl) {
        this.web = builder.build();
        this.url = url;
        this.timeout = timeout;
        this.json = json;
        this.phabricatorUrl = phabricatorUrl;
    }

    @Override
    public Mono<BlockerTask> current() {
        return web.get().uri(url)
                .retrieve()
                .bodyToMono(String.class)
                .timeout(timeout)
                .map(this::parse)
                .onErrorMap(error -> !(error instanceof TrainBlockersUnavailable), this::translate);
    }

    private TrainBlockersUnavailable translate(Throwable error) {
        if (error instanceof WebClientResponseException response) {
            return unavailable("it answered HTTP " + response.getStatusCode().value());
        }
        if (isTimeout(error)) {
            return unavailable("it did not answer within " + timeout.toMillis() + " ms");
        }
        return unavailable("it could not be reached (" + error.getClass().getSimpleName() + ")");
    }

    /** Ours, or the HTTP client's own response timeout (Netty's), whichever fired first. */
    private static boolean isTimeout(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    BlockerTask parse(String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw unavailable("its answer was not JSON");
        }
        JsonNode current = root == null ? null : root.path("current");
        if (current == null || !current.isObject() || !current.path("version").isString()) {
            throw unavailable("its answer named no current train");
        }
        JsonNode task = current.path("task_id");
        Matcher number = TASK.matcher(task.isNumber() ? task.asString() : task.asString(""));
        String taskId = number.matches() ? "T" + number.group(1) : null;
        return new BlockerTask(current.path("version").asString(), taskId, current.path("status").asString(null),
                current.path("date").asString(null), taskId == null ? null : TrainBlockersSource.taskUrl(phabricatorUrl, taskId));
    }

    private static TrainBlockersUnavailable unavailable(String why) {
        return new TrainBlockersUnavailable("The train-blockers API did not say what blocks the train: " + why + ".");
    }
}
