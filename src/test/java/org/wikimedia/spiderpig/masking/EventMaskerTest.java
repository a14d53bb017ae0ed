package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.model.StatusChanged;

class EventMaskerTest {

    private static final Instant TS = Instant.parse("2026-11-22T10:00:00Z");
    private final EventMasker masker = EventMasker.withDefaults();

    private static JobEvent lineEvent(long number, String text, boolean sensitive) {
        return new JobEvent(1, number + 10, TS, new OutputLine(number, OutputLine.Stream.STDOUT, text, sensitive));
    }

    private String masked(String text) {
        return ((OutputLine) masker.mask(lineEvent(1, text, false)).payload()).text();
    }

    @Test
    void aSensitiveLineKeepsItsNumberSeqAndFlagButNotItsText() {
        JobEvent masked = masker.mask(lineEvent(7, "the deploy key is abc", true));

        assertThat(masked.seq()).isEqualTo(17);
        assertThat(masked.ts()).isEqualTo(TS);
        assertThat(masked.payload()).isEqualTo(
                new OutputLine(7, OutputLine.Stream.STDOUT, EventMasker.SENSITIVE_TEXT, true));
    }

    @Test
    void aLineWithoutSecretsIsReturnedAsItIs() {
        JobEvent plain = lineEvent(1, "\u001b[32mSyncing 4 hosts\u001b[0m", false);
        JobEvent state = new JobEvent(1, 2, TS, new StateChanged(JobState.RUNNING, null));

        assertThat(masker.mask(plain)).isSameAs(plain);
        assertThat(masker.mask(state)).isSameAs(state);
    }

    @Test
    void builtInPatternsRedactOnlyTheSecret() {
        // Every built-in rule has its own examples in SecretPatternsTest.
        assertThat(masked("mysql --user=wiki --password=hunter2 -h db1"))
                .isEqualTo("mysql --user=wiki --password=[REDACTED] -h db1");
        assertThat(masked("Checking for new runtime errors locally")).isEqualTo("Checking for new runtime errors locally");
    }

    @Test
    void configuredPatternsReplaceTheDefaults() {
        EventMasker custom = new EventMasker(SecretPatterns.of(List.of("AKIA[0-9A-Z]{16}", "pin (?<secret>\\d+)")));

        OutputLine line = (OutputLine) custom.mask(new OutputLine(1, OutputLine.Stream.STDERR,
                "key AKIAABCDEFGHIJKLMNOP pin 1234 password=kept", false));

        assertThat(line.text()).isEqualTo("key [REDACTED] pin [REDACTED] password=kept");
        assertThatThrownBy(() -> SecretPatterns.of(List.of("(unclosed"))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void configuredPatternsAddToTheDefaultsInTheServer() {
        EventMasker server = new EventMasker(SecretPatterns.defaultsAnd(List.of("AKIA[0-9A-Z]{16}")));

        OutputLine line = (OutputLine) server.mask(new OutputLine(1, OutputLine.Stream.STDOUT,
                "key AKIAABCDEFGHIJKLMNOP password=hunter2", false));
        OutputLine noHint = (OutputLine) server.mask(new OutputLine(2, OutputLine.Stream.STDOUT, "key AKIAABCDEFGHIJKLMNOP", false));

        assertThat(line.text()).isEqualTo("key [REDACTED] password=[REDACTED]");
        assertThat(noHint.text()).isEqualTo("key [REDACTED]");
    }

    @Test
    void statusPromptsAndAnswersAreRedactedToo() {
        assertThat(masker.mask(new StatusChanged("login with password=x"))).isEqualTo(new StatusChanged(
                "login with password=[REDACTED]"));
        Interaction view = new Interaction(1, 1, Interaction.INPUT_LINE, "Enter token=", null, null,
                TS, "token=abc", "alice", TS, null, null);

        Interaction masked = ((InteractionAnswered) masker.mask(new InteractionAnswered(view))).interaction();

        assertThat(masked.response()).isEqualTo("token=[REDACTED]");
        assertThat(masked.prompt()).isEqualTo("Enter token=");
        assertThat(masked.answeredBy()).isEqualTo("alice");
        Interaction choices = new Interaction(2, 1, Interaction.CHOICES, "Go?", Map.of("Yes", "y"), "y",
                TS, null, null, null, null, null);
        assertThat(masker.mask(choices)).isSameAs(choices);
    }
}
