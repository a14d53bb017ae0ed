package org.wikimedia.spiderpig.masking;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets in text and replaces them by {@value #REDACTED}: the built-in rules
 * ({@link DefaultSecrets}) and configured regular expressions. When an expression has a group named
 * {@code secret}, only that group is replaced (so {@code password=hunter2} reads
 * {@code password=[REDACTED]}); otherwise the whole match is.
 */
public final class SecretPatterns {

    public static final String REDACTED = "[REDACTED]";

    private final List<SecretRule> rules;
    private final SecretHints hints;
    private final List<Pattern> extra;

    private SecretPatterns(List<SecretRule> rules, List<Pattern> extra) {
        this.rules = rules;
        this.hints = new SecretHints(rules);
        this.extra = extra;
    }

    /** Only the given expressions; an invalid one fails here, at startup, not on a read. */
    public static SecretPatterns of(List<String> regexes) {
        return new SecretPatterns(List.of(), compile(regexes));
    }

    public static SecretPatterns defaults() {
        return defaultsAnd(List.of());
    }

    /** The built-in rules and the configured expressions (which run on every text: they have no hints). */
    public static SecretPatterns defaultsAnd(List<String> regexes) {
        return new SecretPatterns(DefaultSecrets.RULES, compile(regexes));
    }

    /** The built-in rules, in the order they are applied. */
    public static List<SecretRule> defaultRules() {
        return DefaultSecrets.RULES;
    }

    private static List<Pattern> compile(List<String> regexes) {
        return regexes.stream().map(Pattern::compile).toList();
    }

    /** The text with its secrets replaced; the very same string when nothing matched. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        long candidates = rules.isEmpty() ? 0 : hints.candidates(text);
        while (candidates != 0) {
            int index = Long.numberOfTrailingZeros(candidates);
            candidates &= candidates - 1;
            result = redact(rules.get(index).pattern(), result);
        }
        for (Pattern pattern : extra) {
            result = redact(pattern, result);
        }
        return result;
    }

    /** The bits of the built-in rules that may match the text (by index in {@link #defaultRules()}). */
    long candidates(String text) {
        return hints.candidates(text);
    }

    private static String redact(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        boolean secretGroup = pattern.pattern().contains("(?<secret>");
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        do {
            int start = secretGroup ? matcher.start("secret") : matcher.start();
            int end = secretGroup ? matcher.end("secret") : matcher.end();
            if (start < 0) {
                continue;
            }
            out.append(text, copied, start).append(REDACTED);
            copied = end;
        } while (matcher.find());
        return out.append(text, copied, text.length()).toString();
    }
}
