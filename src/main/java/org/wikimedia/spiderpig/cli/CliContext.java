package org.wikimedia.spiderpig.cli;

import java.io.BufferedOutputStream;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What a run of the client sees of the world: its environment, its two output streams, and whether its
 * output goes to a terminal. Tests build their own, so the client runs in-process against a real server.
 */
public record CliContext(Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {

    /** The process's own: UTF-8 (job output is UTF-8 whatever the locale), stdout buffered and flushed per batch. */
    public static CliContext system() {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new CliContext(System.getenv(), out, err, stdoutIsTerminal());
    }

    String env(String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Java 17 has a console only when stdin and stdout are both terminals, which is close enough for
     * "not piped"; from Java 22 a console always exists and {@code isTerminal()} tells.
     */
    private static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }
}
