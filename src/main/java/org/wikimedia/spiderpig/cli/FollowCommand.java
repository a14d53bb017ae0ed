package org.wikimedia.spiderpig.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "follow", mixinStandardHelpOptions = true,
        description = {"Prints a job's log from its start (or its last lines), then live, until it ends;",
            "status, progress and prompts go to stderr. Exits with the job's exit code."})
final class FollowCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ServerOptions server;

    @Mixin
    FollowOptions following;

    @Parameters(index = "0", paramLabel = "ID", description = "the job")
    long id;

    @Option(names = "--tail", paramLabel = "LINES", description = "start this many lines before the end")
    Integer tail;

    FollowCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ApiClient api = server.connect(context);
        JsonNode job = api.get("/api/jobs/" + id);
        return following.follow(api, job, tail == null ? null : "tail=" + tail, context);
    }
}
