package org.wikimedia.spiderpig.cli;

import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.model.Interaction;

/** Which response a follower gives a prompt: the first {@code --answer} rule that matches, else maybe its default. */
final class PromptAnswers {

    private final List<AnswerRule> rules;
    private final boolean takeDefaults;

    PromptAnswers(List<AnswerRule> rules, boolean takeDefaults) {
        this.rules = List.copyOf(rules);
        this.takeDefaults = takeDefaults;
    }

    /** Whether this follower answers prompts at all; one that does not only shows them. */
    boolean answering() {
        return !rules.isEmpty() || takeDefaults;
    }

    Optional<Choice> choose(Interaction prompt) {
        for (AnswerRule rule : rules) {
            if (rule.matches(prompt.prompt())) {
                return Optional.of(new Choice(rule.response(), "matches /" + rule.pattern().pattern() + "/"));
            }
        }
        if (takeDefaults && prompt.defaultChoice() != null) {
            return Optional.of(new Choice(prompt.defaultChoice(), "its default"));
        }
        return Optional.empty();
    }

    /** A response and why it was chosen, for the user to read. */
    record Choice(String response, String why) {
    }
}
