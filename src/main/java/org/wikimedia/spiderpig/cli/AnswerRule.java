package org.wikimedia.spiderpig.cli;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;

/**
 * {@code --answer 'REGEX=RESPONSE'}: answer a prompt whose text the regular expression finds with the
 * response. The pattern ends at the first {@code =} not preceded by a backslash, so a pattern can hold
 * {@code \=} and a response any character.
 */
record AnswerRule(Pattern pattern, String response) {

    static AnswerRule parse(String rule) {
        int split = -1;
        for (int i = 0; i < rule.length(); i++) {
            if (rule.charAt(i) == '=' && (i == 0 || rule.charAt(i - 1) != '\\')) {
                split = i;
                break;
            }
        }
        if (split <= 0) {
            throw new IllegalArgumentException("\"" + rule + "\" is not REGEX=RESPONSE");
        }
        try {
            return new AnswerRule(Pattern.compile(rule.substring(0, split)), rule.substring(split + 1));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("\"" + rule.substring(0, split) + "\" is not a regular expression: "
                    + e.getDescription());
        }
    }

    boolean matches(String prompt) {
        return prompt != null && pattern.matcher(prompt).find();
    }

    /** Lets picocli report a bad rule as a usage error. */
    static final class Converter implements CommandLine.ITypeConverter<AnswerRule> {
        @Override
        public AnswerRule convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
