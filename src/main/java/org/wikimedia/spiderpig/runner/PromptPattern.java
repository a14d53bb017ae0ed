package org.wikimedia.spiderpig.runner;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * A plain-text prompt to recognise at the end of a partial output line that has gone idle.
 * {@code choices} maps label to the key written back (empty for an {@code input_line} prompt);
 * {@code defaultKey} may be null.
 */
public record PromptPattern(Pattern regex, String kind, Map<String, String> choices, String defaultKey) {
}
