package org.wikimedia.spiderpig.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import org.wikimedia.spiderpig.model.Progress;

/**
 * Plain text for runs without the protocol: no status, progress as a line redrawn with {@code \r}, and
 * {@code [y/N]} prompts without a newline, the way interactive command-line tools do it.
 */
final class PlainConsole implements Console {

    private final PrintStream out;
    private final BufferedReader in;
    private boolean progressLineOpen;

    PlainConsole(PrintStream out, BufferedReader in) {
        this.out = out;
        this.in = in;
    }

    @Override
    public void line(String text, boolean sensitive) {
        endProgressLine();
        out.println(text);
        out.flush();
    }

    @Override
    public void status(String status) {
        // plain output has no status line
    }

    @Override
    public void progress(Progress p) {
        if (Boolean.TRUE.equals(p.progressFinished())) {
            endProgressLine(); // the last redraw already shows the final state
            out.flush();
            return;
        }
        out.print("\r" + p.name() + ": " + p.tasksPercentComplete() + "% (ok: " + p.tasksFinishedOk()
                + "; fail: " + p.tasksFinishedFailed() + "; left: " + p.tasksRemaining() + ")");
        progressLineOpen = true;
        out.flush();
    }

    @Override
    public String choose(String prompt, Map<String, String> choices, String defaultKey) {
        endProgressLine();
        String hint = "n".equals(defaultKey) ? "[y/N]" : "y".equals(defaultKey) ? "[Y/n]" : "[y/n]";
        while (true) {
            out.print(prompt + " " + hint + " ");
            out.flush();
            String answer = readLine();
            if (answer == null) {
                return null;
            }
            String normalized = answer.strip().toLowerCase(Locale.ROOT);
            if (normalized.isEmpty() && defaultKey != null) {
                return defaultKey;
            }
            if (normalized.equals("y") || normalized.equals("yes")) {
                return choices.getOrDefault("Yes", "y");
            }
            if (normalized.equals("n") || normalized.equals("no")) {
                return choices.getOrDefault("No", "n");
            }
            out.println("Please answer y or n.");
        }
    }

    private void endProgressLine() {
        if (progressLineOpen) {
            out.println();
            progressLineOpen = false;
        }
    }

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
