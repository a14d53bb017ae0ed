package org.wikimedia.spiderpig.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of the client in this JVM, as a script would see it: piped output, an environment, an exit code. */
final class CliRun {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CompletableFuture<Integer> exitCode;

    private CliRun(Map<String, String> env, String... args) {
        CliContext context = new CliContext(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        exitCode = CompletableFuture.supplyAsync(() -> SpiderPigCli.run(args, context));
    }

    /** Runs to the end. */
    static CliRun run(Map<String, String> env, String... args) {
        CliRun run = new CliRun(env, args);
        run.exitCode();
        return run;
    }

    /** Starts in the background; {@link #exitCode()} waits for the end. */
    static CliRun start(Map<String, String> env, String... args) {
        return new CliRun(env, args);
    }

    int exitCode() {
        try {
            return exitCode.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the client ended within 2 minutes; stderr so far:\n" + err(), e);
        }
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "stdout:\n" + out() + "\nstderr:\n" + err();
    }
}
