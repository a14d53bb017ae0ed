package org.wikimedia.spiderpig.masking;

import java.util.ArrayList;
import java.util.List;

/**
 * Which rules can match a text, from one scan of its characters for the rules' literal hints. Nearly
 * every output line holds none, and then no regular expression runs at all; a line with a URL runs only
 * the rule that needs {@code ://}. Hints are looked up by their first character, so a character that
 * starts no hint costs one array read.
 */
final class SecretHints {

    /** {@code second} and {@code secondOtherCase}: a cheap first test, as most candidates fail there. */
    private record Hint(String text, boolean ignoreCase, long rule, char second, char secondOtherCase) {

        static Hint of(String text, boolean ignoreCase, long rule) {
            char second = text.length() > 1 ? text.charAt(1) : 0;
            char other = ignoreCase && Character.isLowerCase(second) ? Character.toUpperCase(second)
                    : ignoreCase ? Character.toLowerCase(second) : second;
            return new Hint(text, ignoreCase, rule, second, other);
        }

        boolean foundAt(String text, int at) {
            if (this.text.length() > 1) {
                if (at + 1 >= text.length()) {
                    return false;
                }
                char next = text.charAt(at + 1);
                if (next != second && next != secondOtherCase) {
                    return false;
                }
            }
            return text.regionMatches(ignoreCase, at, this.text, 0, this.text.length());
        }
    }

    private static final Hint[] NONE = new Hint[0];

    /** Hints by their first character (ASCII; every hint starts with one). */
    private final Hint[][] byFirstChar = new Hint[128][];

    SecretHints(List<SecretRule> rules) {
        if (rules.size() > Long.SIZE) {
            throw new IllegalArgumentException("at most " + Long.SIZE + " rules, got " + rules.size());
        }
        List<List<Hint>> table = new ArrayList<>();
        for (int c = 0; c < 128; c++) {
            table.add(new ArrayList<>());
        }
        for (int i = 0; i < rules.size(); i++) {
            SecretRule rule = rules.get(i);
            for (String text : rule.hints()) {
                char first = text.charAt(0);
                if (first >= 128) {
                    throw new IllegalArgumentException(rule.kind() + ": a hint must start with an ASCII character");
                }
                Hint hint = Hint.of(text, rule.hintsIgnoreCase(), 1L << i);
                table.get(first).add(hint);
                if (rule.hintsIgnoreCase()) {
                    for (char variant : new char[] {Character.toLowerCase(first), Character.toUpperCase(first)}) {
                        if (variant != first && variant < 128) {
                            table.get(variant).add(hint);
                        }
                    }
                }
            }
        }
        for (int c = 0; c < 128; c++) {
            byFirstChar[c] = table.get(c).isEmpty() ? null : table.get(c).toArray(NONE);
        }
    }

    /** A bit for every rule (by its index) whose hint the text holds; 0 when none can match. */
    long candidates(String text) {
        long found = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                continue;
            }
            Hint[] hints = byFirstChar[c];
            if (hints == null) {
                continue;
            }
            for (Hint hint : hints) {
                if ((found & hint.rule) == 0 && hint.foundAt(text, i)) {
                    found |= hint.rule;
                }
            }
        }
        return found;
    }
}
