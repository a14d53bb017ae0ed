package org.wikimedia.spiderpig.masking;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Regular expressions whose matches are secrets, replaced by {@value #REDACTED}. When a pattern has a
 * group named {@code secret}, only that group is replaced (so {@code password=hunter2} reads
 * {@code password=[REDACTED]}); otherwise the whole match is.
 */
public final class SecretPatterns {

    public static final String REDACTED = "[REDACTED]";

    /** Defaults: Authorization headers, bearer tokens, credential parameters, URL passwords, GitHub tokens. */
    public static final List<String> DEFAULTS = List.of(
            "(?i)\\b(?:proxy-)?authorization\\s*:\\s*(?<secret>\\S.*?)\\s*$",
            "(?i)\\bbearer\\s+(?<secret>[A-Za-z0-9\\-._~+/]+=*)",
            "(?i)\\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?token|client[_-]?secret)"
                    + "\\s*=\\s*(?<secret>\"[^\"]*\"|'[^']*'|[^\\s&\"',;]+)",
            "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:(?<secret>[^/\\s@]+)@",
            "\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\\b",
            "\\bglpat-[A-Za-z0-9_-]{20,}\\b");

    /**
     * Every default pattern needs one of these in the text. Most output lines have none, and one scan for
     * them costs a fraction of running every pattern on every line.
     */

    private final List<Pattern> defaults;
    private final List<Pattern> extra;

    private SecretPatterns(List<Pattern> defaults, List<Pattern> extra) {
        this.defaults = defaults;
        this.extra = extra;
    }

    /** Compiles the given expressions; an invalid one fails here, at startup, not on a read. */
    public static SecretPatterns of(List<String> regexes) {
        return new SecretPatterns(List.of(), compile(regexes));
    }

    public static SecretPatterns defaults() {
        return defaultsAnd(List.of());
    }

    /** The built-in patterns and the configured ones. */
    public static SecretPatterns defaultsAnd(List<String> regexes) {
        return new SecretPatterns(compile(DEFAULTS), compile(regexes));
    }

    private static List<Pattern> compile(List<String> regexes) {
        return regexes.stream().map(Pattern::compile).toList();
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        if (!defaults.isEmpty() && mayHoldDefaultSecret(text)) {
            for (Pattern pattern : defaults) {
                result = redact(pattern, result);
            }
        }
        for (Pattern pattern : extra) {
            result = redact(pattern, result);
        }
        return result;
    }

    /**
     * Whether the text has what every default pattern needs (case aside): {@code =}, {@code ://},
     * {@code authorization}, {@code bearer}, {@code gh?_}, {@code github_pat_} or {@code glpat-}. One scan
     * of the characters: nearly every line has none, and then no pattern runs.
     */
    static boolean mayHoldDefaultSecret(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            switch (text.charAt(i)) {
                case '=' -> {
                    return true;
                }
                case ':' -> {
                    if (text.startsWith("//", i + 1)) {
                        return true;
                    }
                }
                case 'a', 'A' -> {
                    if (text.regionMatches(true, i, "authorization", 0, 13)) {
                        return true;
                    }
                }
                case 'b', 'B' -> {
                    if (text.regionMatches(true, i, "bearer", 0, 6)) {
                        return true;
                    }
                }
                case 'g', 'G' -> {
                    if (i + 3 < length && Character.toLowerCase(text.charAt(i + 1)) == 'h'
                            && "pousrPOUSR".indexOf(text.charAt(i + 2)) >= 0 && text.charAt(i + 3) == '_'
                            || text.regionMatches(true, i, "github_pat_", 0, 11)
                            || text.regionMatches(true, i, "glpat-", 0, 6)) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
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
