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
    void defaultPatternsRedactOnlyTheSecret() {
        assertThat(masked("curl -H 'Authorization: Bearer abc.def-123' https://x"))
                .isEqualTo("curl -H 'Authorization: [REDACTED]");
        assertThat(masked("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: [REDACTED]");
        assertThat(masked("sending bearer eyJhbGciOi.J9x_y to api")).isEqualTo("sending bearer [REDACTED] to api");
        assertThat(masked("mysql --user=wiki --password=hunter2 -h db1"))
                .isEqualTo("mysql --user=wiki --password=[REDACTED] -h db1");
        assertThat(masked("passwd=s3cr3t&secret='a b'&token=\"t0k\" ok"))
                .isEqualTo("passwd=[REDACTED]&secret=[REDACTED]&token=[REDACTED] ok");
        assertThat(masked("API_KEY = abc123;")).isEqualTo("API_KEY = [REDACTED];");
        assertThat(masked("git clone https://deployer:gerrit-http-pw@gerrit.wikimedia.org/r/core"))
                .isEqualTo("git clone https://deployer:[REDACTED]@gerrit.wikimedia.org/r/core");
        assertThat(masked("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used"))
                .isEqualTo("token [REDACTED] used");
        assertThat(masked("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"))
                .isEqualTo("[REDACTED]");
    }

    @Test
    void ordinaryDeploymentOutputIsLeftAlone() {
        for (String text : List.of("Checking for new runtime errors locally", "tokens: 12 processed",
                "https://gerrit.wikimedia.org/r/c/mediawiki/core/+/12345", "password reset page deployed",
                "sync-testservers: 100% (ok: 4; fail: 0; left: 0)")) {
            assertThat(masked(text)).isEqualTo(text);
        }
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
