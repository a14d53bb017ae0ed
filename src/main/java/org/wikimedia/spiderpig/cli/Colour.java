package org.wikimedia.spiderpig.cli;

import java.util.regex.Pattern;

/** {@code --color}: whether output keeps the job's ANSI colours and the client adds its own. */
enum Colour {
    AUTO, ALWAYS, NEVER;

    /** CSI sequences (colours, cursor moves) and OSC sequences (titles, links). */
    private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-?]*[ -/]*[@-~]|\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)");

    /** In a terminal unless NO_COLOR (https://no-color.org) is set; never when piped. */
    boolean enabled(CliContext context) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> context.terminal() && context.env("NO_COLOR") == null;
        };
    }

    static String strip(String text) {
        return text.indexOf('\u001b') < 0 ? text : ANSI.matcher(text).replaceAll("");
    }
}
