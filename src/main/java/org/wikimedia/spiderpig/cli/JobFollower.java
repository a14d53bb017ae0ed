package org.wikimedia.spiderpig.cli;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.wikimedia.spiderpig.model.EventType;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.JobState;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows one job's event stream to its end: prints it, answers its prompts by rule, reconnects after a
 * lost connection from the last event it handled (Last-Event-ID), so nothing is shown twice or missed,
 * and returns the exit code the job's end calls for.
 */
final class JobFollower {

    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration LAST_RETRY = Duration.ofSeconds(5);

    private final ApiClient api;
    private final long jobId;
    private final FollowOutput output;
    private final PromptAnswers answers;
    private final Duration silence;
    private final Duration reconnectFor;
    /** Prompts settled before we started following, and prompts we answered ourselves. */
    private final Set<Long> settled = new HashSet<>();
    private final Set<Long> ours = new HashSet<>();

    JobFollower(ApiClient api, long jobId, FollowOutput output, PromptAnswers answers, Duration silence,
            Duration reconnectFor) {
        this.api = api;
        this.jobId = jobId;
        this.output = output;
        this.answers = answers;
        this.silence = silence;
        this.reconnectFor = reconnectFor;
    }

    /** Follows from {@code position} (a query such as {@code tail=50}, or null for the start). */
    int follow(String position) {
        if (answers.answering()) {
            rememberSettledPrompts();
        }
        String lastId = null;
        long lostSince = 0;
        String lostBecause = null;
        int retries = 0;
        while (true) {
            try (EventStreamConnection stream = api.events(jobId, lastId == null ? position : null, lastId)) {
                SseParser parser = new SseParser();
                while (true) {
                    String line = stream.nextLine(silence);
                    if (lostBecause != null) {
                        output.note("reconnected", "continuing after event " + lastId);
                        lostBecause = null;
                        retries = 0;
                    }
                    SseEvent event = parser.accept(line);
                    if (event == null) {
                        continue;
                    }
                    Integer exitCode = handle(event);
                    if (event.id() != null) {
                        lastId = event.id();
                    }
                    if (exitCode != null) {
                        output.flush();
                        return exitCode;
                    }
                    if (!stream.hasMore()) {
                        output.flush();
                    }
                }
            } catch (EventStreamConnection.Lost lost) {
                output.flush();
                if (lostBecause == null) {
                    lostSince = System.nanoTime();
                    lostBecause = lost.getMessage();
                    output.alert("connection lost", lostBecause + "; reconnecting"
                            + (lastId == null ? "" : " after event " + lastId));
                }
                if (System.nanoTime() - lostSince > reconnectFor.toNanos()) {
                    throw new ClientFailure(ExitCodes.UNREACHABLE, "lost the stream of job " + jobId + " ("
                            + lostBecause + ") and could not resume it within " + reconnectFor.toSeconds()
                            + " s: " + lost.getMessage());
                }
                pause(retries++);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientFailure(ExitCodes.UNREACHABLE, "interrupted while following job " + jobId, e);
            }
        }
    }

    private void rememberSettledPrompts() {
        for (JsonNode prompt : api.get("/api/jobs/" + jobId + "/interactions").path("interactions")) {
            if (!interaction(prompt).pending()) {
                settled.add(prompt.path("id").asLong());
            }
        }
    }

    /** Shows one event; returns the exit code when it is the job's end. */
    private Integer handle(SseEvent event) {
        Optional<EventType> type = typeOf(event.type());
        if (type.isEmpty()) {
            return null; // an event of a newer server: nothing this client knows to show
        }
        JsonNode data = parse(event);
        switch (type.get()) {
            case LINE -> output.line(data.path("text").asString(""));
            case STATUS -> {
                if (!data.path("status").isNull() && !data.path("status").isMissingNode()) {
                    output.note("status", data.path("status").asString());
                }
            }
            case PROGRESS -> output.note("progress", progress(data.path("progress")));
            case INTERACTION -> prompt(interaction(data.path("interaction")));
            case INTERACTION_ANSWERED -> {
                Interaction answered = interaction(data.path("interaction"));
                if (!ours.contains(answered.id())) {
                    output.note("answered", answered.answeredBy() + " answered \"" + answered.response()
                            + "\" to prompt " + answered.id());
                }
            }
            case INTERACTION_CLOSED -> {
                Interaction closed = interaction(data.path("interaction"));
                output.note("prompt " + closed.id(), "closed unanswered: " + closed.closedReason());
            }
            case CANCEL_REQUESTED -> output.note("cancel", "requested by " + data.path("by").asString("?"));
            case STATE -> output.note("state", data.path("state").asString(""));
            case END -> {
                JobState state = JobState.fromWireName(data.path("state").asString(""));
                Integer exitCode = data.path("exitCode").isIntegralNumber() ? data.path("exitCode").asInt() : null;
                output.note("end", state.wireName() + (exitCode == null ? "" : ", exit code " + exitCode));
                return JobOutcome.exitCode(state, exitCode);
            }
        }
        return null;
    }

    private void prompt(Interaction prompt) {
        output.alert("prompt " + prompt.id(), prompt.prompt() + describeChoices(prompt));
        if (!answers.answering()) {
            output.note("prompt " + prompt.id(), "answer with: spiderpig answer " + jobId + " " + prompt.id() + " RESPONSE");
            return;
        }
        if (settled.contains(prompt.id())) {
            return; // settled before we came: the replay shows who answered it
        }
        PromptAnswers.Choice choice = answers.choose(prompt).orElseThrow(() -> new ClientFailure(
                ExitCodes.UNMATCHED_PROMPT, "no --answer pattern matches prompt " + prompt.id() + " of job " + jobId
                        + " (\"" + prompt.prompt() + "\"); it is still waiting: answer it with"
                        + " spiderpig answer " + jobId + " " + prompt.id() + " RESPONSE"));
        String what = "\"" + choice.response() + "\" (" + choice.why() + ")";
        try {
            api.post("/api/jobs/" + jobId + "/interactions/" + prompt.id(), Map.of("response", choice.response()));
            ours.add(prompt.id());
            output.alert("answer " + prompt.id(), "answered " + what + ": won");
        } catch (ServerProblem problem) {
            switch (problem.type()) {
                case "already-answered" -> output.alert("answer " + prompt.id(),
                        "answered " + what + ": lost the race, " + problem.getMessage());
                case "interaction-closed" -> output.alert("answer " + prompt.id(),
                        "answered " + what + ": too late, " + problem.getMessage());
                default -> throw new ClientFailure(problem.exitCode(), "answering prompt " + prompt.id() + " with "
                        + what + " failed: " + problem.getMessage());
            }
        }
    }

    private static String describeChoices(Interaction prompt) {
        StringBuilder text = new StringBuilder();
        if (prompt.choices() != null && !prompt.choices().isEmpty()) {
            text.append(" [");
            prompt.choices().forEach((label, key) -> text.append(text.length() > 2 ? ", " : "")
                    .append(label).append('=').append(key));
            text.append(']');
        }
        if (prompt.defaultChoice() != null) {
            text.append(" (default ").append(prompt.defaultChoice()).append(')');
        }
        return text.toString();
    }

    private static String progress(JsonNode progress) {
        String name = progress.path("name").asString("progress");
        if (progress.path("totalTasks").isIntegralNumber()) {
            return name + " " + progress.path("tasksFinishedTotal").asInt(0) + "/" + progress.path("totalTasks").asInt()
                    + " (" + progress.path("tasksPercentComplete").asInt(0) + "%)"
                    + (progress.path("tasksFinishedFailed").asInt(0) > 0
                            ? ", " + progress.path("tasksFinishedFailed").asInt() + " failed" : "")
                    + (progress.path("progressFinished").asBoolean(false) ? ", done" : "");
        }
        return name;
    }

    private Interaction interaction(JsonNode node) {
        try {
            return api.json().treeToValue(node, Interaction.class);
        } catch (JacksonException e) {
            throw new ClientFailure(ExitCodes.BAD_ANSWER, "a prompt of job " + jobId + " is not understood: "
                    + e.getOriginalMessage());
        }
    }

    private JsonNode parse(SseEvent event) {
        try {
            return api.json().readTree(event.data());
        } catch (JacksonException e) {
            throw new ClientFailure(ExitCodes.BAD_ANSWER, "event " + event.id() + " of job " + jobId
                    + " is not JSON: " + e.getOriginalMessage());
        }
    }

    private static Optional<EventType> typeOf(String wireName) {
        for (EventType type : EventType.values()) {
            if (type.wireName().equals(wireName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** Waits before the next attempt: a quarter second, doubling up to five seconds. */
    private void pause(int retries) {
        long millis = Math.min(LAST_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(retries, 5));
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientFailure(ExitCodes.UNREACHABLE, "interrupted while following job " + jobId, e);
        }
    }
}
