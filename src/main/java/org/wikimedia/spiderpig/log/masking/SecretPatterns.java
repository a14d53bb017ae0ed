package org.wikimedia.spiderpig.log.masking;

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

    private final List<Pattern> patterns;

    private SecretPatterns(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Compiles the given expressions; an invalid one fails here, at startup, not on a read. */
    public static SecretPatterns of(List<String> regexes) {
        return new SecretPatterns(regexes.stream().map(Pattern::compile).toList());
    }

    public static SecretPatterns defaults() {
        return of(DEFAULTS);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Pattern pattern : patterns) {
            result = redact(pattern, result);
        }
        return result;
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
