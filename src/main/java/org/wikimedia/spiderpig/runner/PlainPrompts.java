package org.wikimedia.spiderpig.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Recognises prompts of commands that do not speak the protocol, in a partial line that has gone idle.
 * A job's own patterns are tried before the built-in ones.
 */
public final class PlainPrompts {

    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\u001B[@-Z\\\\-_]");
    private static final String AT_END = "\\s*[:?]?\\s*$";

    /** {@code [y/N]}, {@code [Y/n]}, {@code [y/n]}, {@code (yes/no)} and "Press Enter to continue". */
    public static final List<PromptPattern> BUILT_IN = List.of(
            PromptPattern.choices("\\[y/N\\]" + AT_END, yesNo("y", "n"), "n"),
            PromptPattern.choices("\\[Y/n\\]" + AT_END, yesNo("y", "n"), "y"),
            PromptPattern.choices("\\[y/n\\]" + AT_END, yesNo("y", "n"), null),
            PromptPattern.choices("\\((?i:yes/no)\\)" + AT_END, yesNo("yes", "no"), null),
            PromptPattern.choices("(?i)press (enter|return) to continue\\W*$", Map.of("Continue", ""), ""));

    private final List<PromptPattern> patterns;

    public PlainPrompts(List<PromptPattern> jobPatterns) {
        List<PromptPattern> all = new ArrayList<>(jobPatterns == null ? List.of() : jobPatterns);
        all.addAll(BUILT_IN);
        this.patterns = List.copyOf(all);
    }

    /** The prompt a partial line shows, if any; its text is the line without ANSI escapes, trimmed. */
    public Optional<RunnerEvent.Prompt> detect(String partialLine) {
        String plain = stripAnsi(partialLine).strip();
        if (plain.isEmpty()) {
            return Optional.empty();
        }
        for (PromptPattern pattern : patterns) {
            if (pattern.regex().matcher(plain).find()) {
                return Optional.of(new RunnerEvent.Prompt(pattern.kind(), plain, pattern.choices(), pattern.defaultKey()));
            }
        }
        return Optional.empty();
    }

    static String stripAnsi(String text) {
        return text.indexOf('\u001B') < 0 ? text : ANSI_ESCAPE.matcher(text).replaceAll("");
    }

    private static Map<String, String> yesNo(String yes, String no) {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("Yes", yes);
        choices.put("No", no);
        return choices;
    }
}
