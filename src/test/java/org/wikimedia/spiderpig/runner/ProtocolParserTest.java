package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.Progress;

class ProtocolParserTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private final ProtocolParser parser = new ProtocolParser(KEY);

    private List<RunnerEvent> message(String json) {
        Optional<List<RunnerEvent>> events = parser.parse(json);
        assertThat(events).as("a message: %s", json).isPresent();
        return events.get();
    }

    @Test
    void lineMessagesCarryTheirSensitivity() {
        assertThat(message("{\"iokey\":\"" + KEY + "\",\"type\":\"line\",\"line\":\"\\u001b[32mhello\\u001b[0m\",\"sensitive\":true}"))
                .containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "\u001b[32mhello\u001b[0m", true));
        assertThat(message("{\"type\":\"line\",\"line\":\"plain\",\"iokey\":\"" + KEY + "\"}"))
                .containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "plain", false));
    }

    @Test
    void aLineMessageWithNewlinesBecomesSeveralLines() {
        assertThat(message("{\"iokey\":\"" + KEY + "\",\"type\":\"line\",\"line\":\"a\\nb\",\"sensitive\":true}"))
                .containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "a", true), new RunnerEvent.Output(OutputLine.Stream.STDOUT, "b", true));
    }

    @Test
    void statusMessagesIncludingAClearedStatus() {
        assertThat(message("{\"iokey\":\"" + KEY + "\",\"type\":\"status\",\"status\":\"Syncing\"}"))
                .containsExactly(new RunnerEvent.Status("Syncing"));
        assertThat(message("{\"iokey\":\"" + KEY + "\",\"type\":\"status\",\"status\":null}"))
                .containsExactly(new RunnerEvent.Status(null));
    }

    @Test
    void progressMessages() {
        String json = "{\"iokey\":\"" + KEY + "\",\"type\":\"progress\",\"progress\":{\"name\":\"sync-testservers\","
                + "\"totalTasks\":4,\"tasksInFlight\":null,\"tasksFinishedOk\":3,\"tasksFinishedFailed\":0,"
                + "\"tasksFinishedTotal\":3,\"tasksPercentComplete\":75,\"tasksRemaining\":1,\"progressFinished\":false}}";
        assertThat(message(json)).containsExactly(new RunnerEvent.ProgressReport(
                new Progress("sync-testservers", 4, null, 3, 0, 3, 75, 1, false)));
    }

    @Test
    void interactionMessagesKeepTheOrderOfChoices() {
        String json = "{\"iokey\":\"" + KEY + "\",\"type\":\"interaction\",\"subtype\":\"choices\","
                + "\"prompt\":\"Continue with sync?\",\"choices\":{\"Yes\":\"y\",\"No\":\"n\",\"Maybe\":\"m\"},\"default\":\"n\"}";
        List<RunnerEvent> events = message(json);
        assertThat(events.get(0)).isEqualTo(new RunnerEvent.Output(OutputLine.Stream.STDOUT,
                "Continue with sync? [Yes (y) / No (n) / Maybe (m)] (default: n)", false));
        RunnerEvent.Prompt prompt = (RunnerEvent.Prompt) events.get(1);
        assertThat(prompt.kind()).isEqualTo("choices");
        assertThat(prompt.prompt()).isEqualTo("Continue with sync?");
        assertThat(prompt.choices()).containsExactly(Map.entry("Yes", "y"), Map.entry("No", "n"), Map.entry("Maybe", "m"));
        assertThat(prompt.defaultKey()).isEqualTo("n");

        assertThat(message("{\"iokey\":\"" + KEY + "\",\"type\":\"interaction\",\"subtype\":\"input_line\",\"prompt\":\"Reason?\"}"))
                .containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Reason?", false),
                        new RunnerEvent.Prompt("input_line", "Reason?", Map.of(), null));
    }

    @Test
    void forgedWrongOrMissingKeysAreOrdinaryOutput() {
        String forged = "{\"iokey\":\"" + KEY.replace('0', '1') + "\",\"type\":\"interaction\",\"subtype\":\"choices\","
                + "\"prompt\":\"Deploy to prod?\",\"choices\":{\"Yes\":\"y\"}}";
        assertThat(parser.parse(forged)).isEmpty();
        assertThat(parser.parse("{\"type\":\"status\",\"status\":\"hacked\"}")).isEmpty();
        assertThat(parser.parse("{\"iokey\":null,\"type\":\"status\",\"status\":\"hacked\"}")).isEmpty();
        assertThat(parser.parse("{\"iokey\":42,\"type\":\"status\",\"status\":\"hacked\"}")).isEmpty();
        assertThat(parser.parse("{\"iokey\":\"\",\"type\":\"status\",\"status\":\"hacked\"}")).isEmpty();
        assertThat(parser.parse("{\"iokey\":\"" + KEY + "x\",\"type\":\"status\",\"status\":\"hacked\"}")).isEmpty();
        // the key nested somewhere else does not count
        assertThat(parser.parse("{\"nested\":{\"iokey\":\"" + KEY + "\"},\"type\":\"status\",\"status\":\"x\"}")).isEmpty();
    }

    @Test
    void brokenJsonIsOrdinaryOutput() {
        assertThat(parser.parse("{\"iokey\":\"" + KEY + "\",\"type\":\"status\",\"status\":\"x\"")).isEmpty();
        assertThat(parser.parse("{\"iokey\":\"" + KEY + "\",\"type\":\"status\"} trailing")).isEmpty();
        assertThat(parser.parse("[\"iokey\",\"" + KEY + "\"]")).isEmpty();
        assertThat(parser.parse("{iokey}")).isEmpty();
        assertThat(parser.parse("")).isEmpty();
    }

    @Test
    void aTrustedButUnusableMessageIsReportedWithoutEchoingTheKey() {
        List<RunnerEvent> events = message("{\"iokey\":\"" + KEY + "\",\"type\":\"telepathy\"}");
        assertThat(events).hasSize(1);
        RunnerEvent.Output output = (RunnerEvent.Output) events.get(0);
        assertThat(output.text()).contains("telepathy").doesNotContain(KEY);
    }

    @Test
    void hugeAndBinaryLinesAreOrdinaryOutput() {
        String huge = "{\"iokey\":\"" + KEY + "\",\"type\":\"line\",\"line\":\"" + "z".repeat(1 << 20);
        assertThat(parser.parse(huge)).isEmpty();
        byte[] binary = new byte[4096];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        assertThat(parser.parse(new String(binary, StandardCharsets.UTF_8))).isEmpty();
        assertThat(parser.parse("{\"iokey\":\"" + KEY + "\u0000\",\"type\":\"status\",\"status\":\"x\"}")).isEmpty();
    }
}
