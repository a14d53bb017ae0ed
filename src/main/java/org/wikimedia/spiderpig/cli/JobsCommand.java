package org.wikimedia.spiderpig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Lists the latest jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    ServerOptions server;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "how many (1-100, default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--json", description = "print the server's answer as it is")
    boolean json;

    JobsCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ApiClient api = server.connect(context);
        JsonNode page = api.get("/api/jobs?limit=" + limit);
        if (json) {
            context.out().println(page);
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATE", "EXIT", "CREATED", "OWNER", "DESCRIPTION"});
        for (JsonNode job : page.path("jobs")) {
            rows.add(new String[] {
                job.path("id").asString(""), job.path("state").asString(""),
                job.path("exitCode").isIntegralNumber() ? job.path("exitCode").asString() : "",
                job.path("createdAt").asString("").replaceFirst("\\.\\d+Z$", "Z"), job.path("owner").asString(""),
                job.path("description").asString("")});
        }
        printTable(rows);
        return ExitCodes.OK;
    }

    private void printTable(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            context.out().println(line.toString().stripTrailing());
        }
    }
}
