package org.wikimedia.spiderpig.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

@Command(name = "answer", mixinStandardHelpOptions = true,
        description = {"Answers a job's prompt: the one given, else the one it is waiting on.",
            "Exactly one answer wins; a late one is refused (exit code 65) with who answered first."})
final class AnswerCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "the job")
    long id;

    @Parameters(index = "1..2", arity = "1..2", paramLabel = "[INTERACTION] RESPONSE",
            description = "the prompt's id (default: the pending one) and the answer (for a choice, its key)")
    List<String> rest;

    AnswerCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ApiClient api = server.connect(context);
        String response = rest.get(rest.size() - 1);
        long interaction = rest.size() == 2 ? interactionId(rest.get(0)) : pendingPrompt(api);
        JsonNode answered = api.post("/api/jobs/" + id + "/interactions/" + interaction, Map.of("response", response));
        context.out().println("answered \"" + answered.path("response").asString(response) + "\" to prompt "
                + interaction + " of job " + id + " (\"" + answered.path("prompt").asString("") + "\")");
        return ExitCodes.OK;
    }

    private long interactionId(String word) {
        try {
            return Long.parseLong(word);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "INTERACTION must be a prompt's id (a number), not \""
                    + word + "\"");
        }
    }

    private long pendingPrompt(ApiClient api) {
        JsonNode pending = api.get("/api/jobs/" + id).path("pendingInteraction");
        if (!pending.isObject()) {
            throw new ClientFailure(ExitCodes.REFUSED, "job " + id + " is not waiting for an answer");
        }
        return pending.path("id").asLong();
    }
}
