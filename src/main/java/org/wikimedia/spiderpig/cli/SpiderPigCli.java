package org.wikimedia.spiderpig.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The command-line client ({@code bin/spiderpig}, or {@code java -jar spiderpig.jar cli …}): starts,
 * follows, answers, lists and cancels jobs over the HTTP API, without Spring, so it starts at once.
 * Failures are one line on stderr and an exit code from {@link ExitCodes}, never a stack trace.
 */
@Command(name = "spiderpig", mixinStandardHelpOptions = true, version = "spiderpig client 0.1",
        description = "Start, follow, answer, list and cancel SpiderPig jobs.",
        footer = {"", "Server and token: --url and --token, else $SPIDERPIG_URL and $SPIDERPIG_TOKEN.",
            "Exit codes: follow exits with the job's own; besides:",
            "  64 usage error            65 refused by the server    69 server unreachable",
            "  70 unexpected answer      80 job cancelled            81 job interrupted",
            "  82 a prompt no --answer matches", "More: docs/cli.md"})
public final class SpiderPigCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private SpiderPigCli() {
    }

    public static void main(String[] args) {
        CliContext context = CliContext.system();
        int exitCode = run(args, context);
        context.out().flush();
        System.exit(exitCode);
    }

    /** Runs one command line and returns its exit code. */
    public static int run(String[] args, CliContext context) {
        CommandLine commandLine = new CommandLine(new SpiderPigCli())
                .addSubcommand(new StartCommand(context))
                .addSubcommand(new FollowCommand(context))
                .addSubcommand(new AnswerCommand(context))
                .addSubcommand(new JobsCommand(context))
                .addSubcommand(new CancelCommand(context))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(new PrintWriter(context.out(), true))
                .setErr(new PrintWriter(context.err(), true))
                .setParameterExceptionHandler((mistake, arguments) -> {
                    context.err().println("spiderpig: " + mistake.getMessage());
                    context.err().println("See: " + commandPath(mistake.getCommandLine()) + " --help");
                    return ExitCodes.USAGE;
                })
                .setExecutionExceptionHandler((failure, failed, parseResult) -> {
                    context.out().flush();
                    if (failure instanceof ClientFailure known) {
                        context.err().println("spiderpig: " + known.getMessage());
                        return known.exitCode();
                    }
                    context.err().println("spiderpig: unexpected failure: " + failure);
                    return ExitCodes.BAD_ANSWER;
                });
        return commandLine.execute(args);
    }

    /** Without a command: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    private static String commandPath(CommandLine commandLine) {
        return commandLine.getCommandSpec().qualifiedName();
    }
}
