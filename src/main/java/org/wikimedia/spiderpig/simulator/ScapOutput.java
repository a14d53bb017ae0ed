package org.wikimedia.spiderpig.simulator;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.wikimedia.spiderpig.model.Progress;

/** How scap's subcommands write: timestamped green lines, steps with durations, progress over hosts. */
final class ScapOutput {

    static final String GREEN = "\u001b[32m";
    static final String RED = "\u001b[31m";
    static final String YELLOW = "\u001b[33m";
    static final String BOLD = "\u001b[1m";
    static final String CYAN = "\u001b[36m";
    static final String RESET = "\u001b[0m";
    static final Map<String, String> YES_NO = yesNo();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Console console;
    private final Pace pace;

    ScapOutput(Console console, Pace pace) {
        this.console = console;
        this.pace = pace;
    }

    void info(String text) {
        console.line(GREEN + timestamp() + text + RESET);
    }

    void step(String name, String detail, double seconds) {
        info("Started " + name);
        if (detail != null) {
            info(detail);
        }
        pace.pause(seconds);
        info("Finished " + name + " (duration: 00m " + String.format("%02d", Math.round(seconds)) + "s)");
    }

    /** A step over several hosts, with progress messages as hosts finish. */
    void hostStep(String name, String progressName, int hosts, double seconds) {
        info("Started " + name);
        progressLine(progressName, hosts, 0, 0);
        for (int done = 1; done <= hosts; done++) {
            pace.pause(seconds / hosts);
            progress(progressName, hosts, done, 0, false);
        }
        progress(progressName, hosts, hosts, 0, true);
        progressLine(progressName, hosts, hosts, 0);
        info("Finished " + name + " (duration: 00m " + String.format("%02d", Math.round(seconds)) + "s)");
    }

    void progress(String name, int total, int ok, int failed, boolean finished) {
        int done = ok + failed;
        console.progress(new Progress(name, total, finished ? 0 : Math.min(1, total - done), ok, failed, done,
                total == 0 ? 100 : done * 100 / total, total - done, finished));
    }

    void progressLine(String name, int total, int ok, int failed) {
        int done = ok + failed;
        console.line(String.format("%s%s: %3d%% (ok: %d; fail: %d; left: %d)",
                timestamp(), name, total == 0 ? 100 : done * 100 / total, ok, failed, total - done));
    }

    static String timestamp() {
        return LocalTime.now().format(CLOCK) + " ";
    }

    private static Map<String, String> yesNo() {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("Yes", "y");
        choices.put("No", "n");
        return choices;
    }
}
