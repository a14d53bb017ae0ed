package org.wikimedia.spiderpig.cli;

import java.io.PrintStream;

/**
 * Where a followed job goes: its log on stdout (coloured or plain), everything about it (status,
 * progress, prompts, answers, state) on stderr as {@code [tag] text}, so a pipe gets the log alone.
 */
final class FollowOutput {

    private static final String DIM = "\u001b[2m";
    private static final String YELLOW_BOLD = "\u001b[1;33m";
    private static final String RESET = "\u001b[0m";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean colour;

    FollowOutput(CliContext context, boolean colour) {
        this.out = context.out();
        this.err = context.err();
        this.colour = colour;
    }

    void line(String text) {
        out.println(colour ? text + RESET : Colour.strip(text));
    }

    void note(String tag, String text) {
        write(DIM, tag, text);
    }

    /** A note that asks for attention: a prompt, or why following stopped. */
    void alert(String tag, String text) {
        write(YELLOW_BOLD, tag, text);
    }

    void flush() {
        out.flush();
    }

    private void write(String style, String tag, String text) {
        out.flush();
        err.println(colour ? style + "[" + tag + "]" + RESET + " " + text : "[" + tag + "] " + text);
        err.flush();
    }
}
