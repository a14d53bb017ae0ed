package org.wikimedia.spiderpig.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancels a job: a queued one at once, a running one is stopped (SIGINT, then SIGTERM, then SIGKILL).")
final class CancelCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "the job")
    long id;

    CancelCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        JsonNode job = server.connect(context).post("/api/jobs/" + id + "/cancel", Map.of());
        String state = job.path("state").asString("");
        context.out().println("job " + id + ": " + ("cancelled".equals(state) ? "cancelled" : "being stopped (" + state + ")"));
        return ExitCodes.OK;
    }
}
