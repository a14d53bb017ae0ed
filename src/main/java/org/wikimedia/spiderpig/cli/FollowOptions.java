package org.wikimedia.spiderpig.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** How a job is followed: which prompts are answered, colours, and patience with a lost connection. */
final class FollowOptions {

    @Option(names = "--answer", paramLabel = "REGEX=RESPONSE", converter = AnswerRule.Converter.class,
            description = "answer each prompt whose text REGEX finds with RESPONSE (repeatable; the first match"
                    + " wins); a prompt nothing matches stops following with exit code 82")
    List<AnswerRule> answers = new ArrayList<>();

    @Option(names = "--default", description = "answer a prompt no --answer matches with its default")
    boolean takeDefaults;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "auto (in a terminal, unless NO_COLOR is set), always or never")
    Colour colour;

    @Option(names = "--reconnect-for", paramLabel = "SECONDS", defaultValue = "300",
            description = "how long to keep trying to resume a lost stream (default: ${DEFAULT-VALUE})")
    int reconnectSeconds;

    @Option(names = "--silence", paramLabel = "SECONDS", defaultValue = "60",
            description = "how long a stream may stay silent (the server's heartbeat is every 15 s) before it"
                    + " counts as lost (default: ${DEFAULT-VALUE})")
    int silenceSeconds;

    boolean answering() {
        return !answers.isEmpty() || takeDefaults;
    }

    /** Follows the job, after a first note naming it (the job as the server just described it). */
    int follow(ApiClient api, JsonNode job, String position, CliContext context) {
        long id = job.path("id").asLong();
        FollowOutput output = new FollowOutput(context, colour.enabled(context));
        output.note("job " + id, job.path("description").asString("") + " (" + job.path("state").asString("") + ")");
        return new JobFollower(api, id, output, new PromptAnswers(answers, takeDefaults),
                Duration.ofSeconds(silenceSeconds), Duration.ofSeconds(reconnectSeconds)).follow(position);
    }
}
