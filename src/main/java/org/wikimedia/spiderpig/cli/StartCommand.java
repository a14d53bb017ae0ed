package org.wikimedia.spiderpig.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

@Command(name = "start", mixinStandardHelpOptions = true,
        description = {"Starts a job and prints its id; with --follow, follows it to its end.",
            "The change ids become the job's parameters (a job type without parameters takes none)."})
final class StartCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ServerOptions server;

    @Mixin
    FollowOptions following;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "the job type, e.g. backport")
    String command;

    @Parameters(index = "1..*", paramLabel = "CHANGE", description = "Gerrit change numbers or URLs")
    List<String> changeIds = new ArrayList<>();

    @Option(names = {"-f", "--follow"}, description = "follow the job (implied by --answer and --default)")
    boolean follow;

    StartCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ApiClient api = server.connect(context);
        Map<String, Object> parameters = changeIds.isEmpty() ? Map.of() : Map.of("changeIds", changeIds);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("parameters", parameters);
        JsonNode job = api.post("/api/jobs", body);
        long id = job.path("id").asLong();
        if (!follow && !following.answering()) {
            context.out().println(id);
            return ExitCodes.OK;
        }
        return following.follow(api, job, null, context);
    }
}
