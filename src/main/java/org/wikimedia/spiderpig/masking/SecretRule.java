package org.wikimedia.spiderpig.masking;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One kind of secret that masking finds: its name (for docs and tests), the expression that finds it and
 * the literal hints of which every match contains at least one. The hints let one scan of a line decide
 * which expressions can match at all, so a line without any hint costs no regular expression. When the
 * expression has a group named {@code secret}, only that group is redacted.
 */
public record SecretRule(String kind, Pattern pattern, List<String> hints, boolean hintsIgnoreCase) {

    public SecretRule {
        if (hints.isEmpty() || hints.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException(kind + ": a rule needs non-empty hints");
        }
        hints = List.copyOf(hints);
    }

    /** A rule whose hints must appear exactly as written. */
    static SecretRule of(String kind, String regex, String... hints) {
        return new SecretRule(kind, Pattern.compile(regex), List.of(hints), false);
    }

    /** A rule whose hints may appear in any case. */
    static SecretRule anyCase(String kind, String regex, String... hints) {
        return new SecretRule(kind, Pattern.compile(regex), List.of(hints), true);
    }
}
