package org.wikimedia.spiderpig.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** #15: a deployer reads signals by name, not by number ("ended by signal 2" said nothing). */
class SignalWordsTest {

    @Test
    void saysTheCommonEndsInWords() {
        assertThat(SignalWords.endReason(2)).isEqualTo("The command was interrupted (SIGINT)");
        assertThat(SignalWords.endReason(15)).isEqualTo("The command was terminated (SIGTERM)");
    }

    @Test
    void namesTheOtherKnownSignalsBesideTheirNumber() {
        assertThat(SignalWords.endReason(9)).isEqualTo("The command was ended by signal 9 (SIGKILL)");
        assertThat(SignalWords.endReason(1)).isEqualTo("The command was ended by signal 1 (SIGHUP)");
    }

    @Test
    void keepsTheNumberOfASignalWithoutAName() {
        assertThat(SignalWords.endReason(42)).isEqualTo("The command was ended by signal 42");
    }

    @Test
    void namesEachSignalACancelSends() {
        assertThat(SignalWords.note("INT")).startsWith("cancel: sent SIGINT (interrupt)");
        assertThat(SignalWords.note("TERM")).contains("sent SIGTERM (terminate)");
        assertThat(SignalWords.note("KILL")).contains("sent SIGKILL (kill)");
    }
}
