package org.wikimedia.spiderpig.runner;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plain-text prompt to recognise at the end of a partial output line that has gone idle.
 * {@code kind} is {@code choices} or {@code input_line}; {@code choices} maps label to the key written
 * back, in order (empty for an {@code input_line} prompt); {@code defaultKey} may be null. The regex is
 * searched ({@link java.util.regex.Matcher#find()}) in the partial line with ANSI escapes removed.
 */
public record PromptPattern(Pattern regex, String kind, Map<String, String> choices, String defaultKey) {

    public static final String CHOICES = "choices";
    public static final String INPUT_LINE = "input_line";

    public PromptPattern {
        if (!CHOICES.equals(kind) && !INPUT_LINE.equals(kind)) {
            throw new IllegalArgumentException("a prompt's kind is choices or input_line, not " + kind);
        }
        choices = choices == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(choices));
        if (CHOICES.equals(kind) && choices.isEmpty()) {
            throw new IllegalArgumentException("a choices prompt needs choices: " + regex);
        }
    }

    public static PromptPattern choices(String regex, Map<String, String> choices, String defaultKey) {
        return new PromptPattern(Pattern.compile(regex), CHOICES, choices, defaultKey);
    }

    public static PromptPattern inputLine(String regex) {
        return new PromptPattern(Pattern.compile(regex), INPUT_LINE, Map.of(), null);
    }
}
