package org.wikimedia.spiderpig.simulator;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in simulator: {@code simulate backport <change>...} pretends to be {@code scap backport}
 * (speaking the SpiderPig I/O protocol when {@code SPIDERPIG_IO_KEY} is set, plain text with
 * {@code [y/N]} prompts otherwise); {@code simulate deploy-promote ...} pretends to be {@code scap deploy-promote}
 * the same way; {@code simulate flood <lines> [linesPerSecond]} prints numbered lines.
 * Option {@code --pace realistic|fast|<multiplier>} (or env {@code SPIDERPIG_SIMULATOR_PACE}) sets the speed.
 */
public final class Simulator {

    private Simulator() {
    }

    /** Runs a subcommand with the process's own streams and environment; answers the exit code. */
    /** Checks a pace setting ({@code realistic}, {@code fast} or a multiplier); throws saying what is wrong. */
    public static void checkPace(String value) {
        Pace.parse(value);
    }

    public static int run(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        try {
            return run(List.of(args), System.getenv(), System.in, out);
        } finally {
            out.flush();
        }
    }

    static int run(List<String> args, Map<String, String> environment, InputStream stdin, PrintStream out) {
        List<String> rest = new ArrayList<>(args);
        String paceValue = environment.get(Pace.ENVIRONMENT_VARIABLE);
        int paceIndex = rest.indexOf("--pace");
        if (paceIndex >= 0) {
            if (paceIndex + 1 >= rest.size()) {
                return usage(out, "--pace needs a value");
            }
            paceValue = rest.remove(paceIndex + 1);
            rest.remove(paceIndex);
        }
        Pace pace;
        try {
            pace = Pace.parse(paceValue);
        } catch (IllegalArgumentException e) {
            return usage(out, e.getMessage());
        }
        if (rest.isEmpty()) {
            return usage(out, "which simulation?");
        }
        String subcommand = rest.remove(0);
        switch (subcommand) {
            case "backport":
                return new BackportScenario(console(environment, stdin, out), pace).run(rest);
            case "deploy-promote":
                return new DeployPromoteScenario(console(environment, stdin, out), pace, environment).run(rest);
            case "flood":
                try {
                    long lines = Long.parseLong(rest.get(0));
                    double rate = rest.size() > 1 ? Double.parseDouble(rest.get(1)) : 0;
                    return Flood.run(out, lines, rate);
                } catch (IndexOutOfBoundsException | NumberFormatException e) {
                    return usage(out, "flood needs a number of lines and optionally lines per second");
                }
            default:
                return usage(out, "unknown simulation \"" + subcommand + "\"");
        }
    }

    /** The SpiderPig I/O protocol when run with a key, plain text otherwise. */
    private static Console console(Map<String, String> environment, InputStream stdin, PrintStream out) {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        String key = environment.get("SPIDERPIG_IO_KEY");
        return key == null || key.isEmpty() ? new PlainConsole(out, in) : new ProtocolConsole(key, out, in);
    }

    private static int usage(PrintStream out, String problem) {
        out.println("simulate: " + problem);
        out.println("usage: simulate [--pace realistic|fast|<multiplier>] backport <change number>...");
        out.println("       simulate deploy-promote --yes --train --old-version OLD [--exclude-wikis a,b] -- GROUP VERSION");
        out.println("       simulate flood <lines> [linesPerSecond]");
        return BackportScenario.EXIT_USAGE;
    }
}
