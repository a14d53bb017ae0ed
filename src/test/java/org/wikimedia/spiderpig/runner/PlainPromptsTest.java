package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainPromptsTest {

    private final PlainPrompts prompts = new PlainPrompts(List.of());

    @Test
    void yesNoPromptsDeriveTheirDefaultFromTheCapitalLetter() {
        assertThat(prompts.detect("Proceed? [y/N] ")).contains(
                new RunnerEvent.Prompt("choices", "Proceed? [y/N]", Map.of("Yes", "y", "No", "n"), "n"));
        assertThat(prompts.detect("Proceed? [Y/n]: ").orElseThrow().defaultKey()).isEqualTo("y");
        assertThat(prompts.detect("Proceed [y/n]?").orElseThrow().defaultKey()).isNull();
        RunnerEvent.Prompt yesNo = prompts.detect("Are you sure (yes/no)? ").orElseThrow();
        assertThat(yesNo.choices()).containsExactly(Map.entry("Yes", "yes"), Map.entry("No", "no"));
        assertThat(yesNo.defaultKey()).isNull();
    }

    @Test
    void pressEnterToContinueHasOneChoiceThatWritesAnEmptyLine() {
        RunnerEvent.Prompt prompt = prompts.detect("Press Enter to continue...").orElseThrow();
        assertThat(prompt.choices()).containsExactly(Map.entry("Continue", ""));
        assertThat(prompt.defaultKey()).isEmpty();
    }

    @Test
    void ansiColoursAreIgnored() {
        assertThat(prompts.detect("\u001b[1;33mDeploy? [y/N]\u001b[0m ").orElseThrow().prompt()).isEqualTo("Deploy? [y/N]");
    }

    @Test
    void ordinaryPartialLinesAreNoPrompts() {
        assertThat(prompts.detect("Downloading 45%")).isEmpty();
        assertThat(prompts.detect("the [y/N] convention is explained below, and more")).isEmpty();
        assertThat(prompts.detect("   ")).isEmpty();
    }

    @Test
    void aJobsOwnPatternsComeFirst() {
        PlainPrompts custom = new PlainPrompts(List.of(
                PromptPattern.inputLine("Reason for the deploy:\\s*$"),
                PromptPattern.choices("\\[a\\]bort, \\[r\\]etry\\?\\s*$", Map.of("Abort", "a", "Retry", "r"), "r")));
        assertThat(custom.detect("Reason for the deploy: ")).contains(
                new RunnerEvent.Prompt("input_line", "Reason for the deploy:", Map.of(), null));
        assertThat(custom.detect("[a]bort, [r]etry?").orElseThrow().defaultKey()).isEqualTo("r");
        assertThat(custom.detect("ok? [y/N]")).isPresent();
    }
}
