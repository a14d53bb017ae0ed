package org.wikimedia.spiderpig.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.CancelRequested;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.EventType;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.InteractionClosed;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.model.ProgressChanged;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.model.StatusChanged;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

class EventJsonTest {

    private static final Instant TS = Instant.parse("2026-11-22T10:00:00.456Z");
    private static final Instant OPENED = Instant.parse("2026-11-22T10:00:01Z");
    private final EventJson json = new EventJson();

    private static JobEvent event(long seq, EventPayload payload) {
        return new JobEvent(42, seq, TS, payload);
    }

    private static Interaction prompt(String response, String answeredBy, Instant answeredAt) {
        Map<String, String> choices = new LinkedHashMap<>();
        choices.put("Yes", "y");
        choices.put("No", "n");
        return new Interaction(7, 42, Interaction.CHOICES, "Continue with sync?", choices, "n", OPENED,
                response, answeredBy, answeredAt, null, null);
    }

    @Test
    void lineWireJsonIsTheDocumentedObjectWithAnIsoTimestamp() {
        OutputLine line = new OutputLine(1, OutputLine.Stream.STDOUT, "\u001b[32mVoting on 1 change(s)\u001b[0m", false);

        assertThat(json.toWire(event(2, line))).isEqualTo(
                "{\"seq\":2,\"ts\":\"2026-11-22T10:00:00.456Z\",\"line\":1,\"stream\":\"stdout\","
                        + "\"text\":\"\\u001B[32mVoting on 1 change(s)\\u001B[0m\",\"sensitive\":false}");
    }

    @Test
    void everyEventTypeHasItsDocumentedWireFields() {
        assertThat(json.toWire(event(1, new StateChanged(JobState.RUNNING, null))))
                .isEqualTo("{\"seq\":1,\"ts\":\"2026-11-22T10:00:00.456Z\",\"state\":\"running\",\"exitCode\":null}");
        assertThat(json.toWire(event(3, new StatusChanged("Syncing"))))
                .isEqualTo("{\"seq\":3,\"ts\":\"2026-11-22T10:00:00.456Z\",\"status\":\"Syncing\"}");
        assertThat(json.toWire(event(4, new CancelRequested("alice"))))
                .isEqualTo("{\"seq\":4,\"ts\":\"2026-11-22T10:00:00.456Z\",\"by\":\"alice\"}");
        assertThat(json.toWire(event(5, new JobEnded(JobState.FAILED, 1))))
                .isEqualTo("{\"seq\":5,\"ts\":\"2026-11-22T10:00:00.456Z\",\"state\":\"failed\",\"exitCode\":1}");
        assertThat(json.toWire(event(6, new ProgressChanged(new Progress("sync", 4, 0, 4, 0, 4, 100, 0, true)))))
                .isEqualTo("{\"seq\":6,\"ts\":\"2026-11-22T10:00:00.456Z\",\"progress\":{\"name\":\"sync\","
                        + "\"totalTasks\":4,\"tasksInFlight\":0,\"tasksFinishedOk\":4,\"tasksFinishedFailed\":0,"
                        + "\"tasksFinishedTotal\":4,\"tasksPercentComplete\":100,\"tasksRemaining\":0,"
                        + "\"progressFinished\":true}}");
    }

    @Test
    void interactionWireJsonUsesTheDefaultKeyAndIsoTimes() {
        assertThat(json.toWire(event(8, new InteractionOpened(prompt(null, null, null))))).isEqualTo(
                "{\"seq\":8,\"ts\":\"2026-11-22T10:00:00.456Z\",\"interaction\":{\"id\":7,\"jobId\":42,"
                        + "\"kind\":\"choices\",\"prompt\":\"Continue with sync?\",\"choices\":{\"Yes\":\"y\",\"No\":\"n\"},"
                        + "\"default\":\"n\",\"openedAt\":\"2026-11-22T10:00:01Z\",\"response\":null,\"answeredBy\":null,"
                        + "\"answeredAt\":null,\"closedReason\":null,\"closedAt\":null}}");
    }

    @Test
    void wireFormatDoesNotDependOnHowTheApplicationMapperIsConfigured() {
        JsonMapper numericDates = JsonMapper.builder().enable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build();

        String wire = new EventJson(numericDates).toWire(event(8, new InteractionAnswered(prompt("y", "bob", OPENED))));

        assertThat(wire).contains("\"openedAt\":\"2026-11-22T10:00:01Z\"", "\"answeredAt\":\"2026-11-22T10:00:01Z\"",
                "\"closedAt\":null", "\"ts\":\"2026-11-22T10:00:00.456Z\"");
    }

    @Test
    void logLineNodeHasTheRangeAnswerFields() {
        JobEvent line = event(9, new OutputLine(3, OutputLine.Stream.STDERR, "oops", true));

        assertThat(json.logLineNode(line).toString()).isEqualTo(
                "{\"line\":3,\"ts\":\"2026-11-22T10:00:00.456Z\",\"stream\":\"stderr\",\"text\":\"oops\",\"sensitive\":true}");
    }

    @Test
    void storageRoundTripsEveryPayloadType() {
        List<EventPayload> payloads = List.of(
                new OutputLine(1, OutputLine.Stream.STDOUT, "multi\nline \"quoted\" \u00e9 \u001b[0m", false),
                new OutputLine(2, OutputLine.Stream.STDERR, "secret", true),
                new StatusChanged("Waiting"),
                new StatusChanged(null),
                new ProgressChanged(new Progress("p", 1, null, null, null, null, 5, null, false)),
                new InteractionOpened(prompt(null, null, null)),
                new InteractionAnswered(prompt("y", "alice", OPENED)),
                new InteractionClosed(new Interaction(8, 42, Interaction.INPUT_LINE, "Name?", null, null,
                        OPENED, null, null, null, "cancelled", OPENED)),
                new CancelRequested("alice"),
                new StateChanged(JobState.AWAITING_INPUT, null),
                new JobEnded(JobState.SUCCEEDED, 0));
        assertThat(payloads.stream().map(EventPayload::type).distinct()).hasSize(EventType.values().length);

        long seq = 0;
        for (EventPayload payload : payloads) {
            JobEvent original = new JobEvent(42, ++seq, TS.plusNanos(seq), payload);
            byte[] stored = json.toStorage(original);

            assertThat(new String(stored, StandardCharsets.UTF_8)).doesNotContain("\n")
                    .startsWith("{\"type\":\"" + payload.type().wireName() + "\",\"seq\":" + seq + ",");
            assertThat(json.fromStorage(42, stored)).isEqualTo(original);
        }
    }

    @Test
    void fromStorageRejectsTornAndForeignRecords() {
        byte[] stored = json.toStorage(event(1, new StatusChanged("x")));
        byte[] torn = java.util.Arrays.copyOf(stored, stored.length - 3);

        assertThatThrownBy(() -> json.fromStorage(42, torn)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.fromStorage(42, "{\"seq\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> json.fromStorage(42, new byte[] {0, 0, 0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedTimesAreReadBackExactly() {
        java.util.Random random = new java.util.Random(20261122);
        for (int i = 0; i < 10_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 250_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(EventJson.parseInstant(instant.toString())).as(instant.toString()).isEqualTo(instant);
            JobEvent line = new JobEvent(1, 1, instant, new OutputLine(1, OutputLine.Stream.STDOUT, "x", false));
            assertThat(json.toWire(line)).as("written as Instant.toString does").contains("\"ts\":\"" + instant + "\"");
            assertThat(json.fromStorage(1, json.toStorage(line))).isEqualTo(line);
        }
        assertThat(EventJson.parseInstant("2024-02-29T23:59:59.5Z")).isEqualTo(Instant.parse("2024-02-29T23:59:59.5Z"));
        assertThatThrownBy(() -> EventJson.parseInstant("2023-02-29T10:00:00Z")).isInstanceOf(java.time.DateTimeException.class);
        assertThatThrownBy(() -> EventJson.parseInstant("2023-13-01T10:00:00Z")).isInstanceOf(java.time.DateTimeException.class);
    }

    @Test
    void linesAreWrittenAsJacksonWritesThem() {
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        java.util.Random random = new java.util.Random(20261122);
        String[] pieces = {"a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000", "\u001b[31m", "\u007f",
            "é", "中文", "\u2028", "😀", "tick 1 2", "{\"json\":true}"};
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(8); n > 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            OutputLine line = new OutputLine(i + 1, i % 3 == 0 ? null : OutputLine.Stream.STDOUT, i % 50 == 0 ? null : text.toString(), i % 2 == 0);
            JobEvent event = event(i + 1, line);
            tools.jackson.databind.node.ObjectNode expected = mapper.createObjectNode();
            expected.put("type", "line");
            expected.put("seq", event.seq());
            expected.put("ts", event.ts().toString());
            expected.put("line", line.line());
            expected.put("stream", line.stream() == null ? null : line.stream().wireName());
            expected.put("text", line.text());
            expected.put("sensitive", line.sensitive());

            assertThat(new String(json.toStorage(event), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo(mapper.writeValueAsString(expected));
            expected.remove("type");
            assertThat(json.toWire(event)).isEqualTo(mapper.writeValueAsString(expected));
            assertThat(json.fromStorage(event.jobId(), json.toStorage(event))).isEqualTo(event);
            tools.jackson.databind.node.ObjectNode withType = mapper.createObjectNode().put("type", "line");
            withType.setAll(expected);
            assertThat(json.fromStorage(event.jobId(), mapper.writeValueAsBytes(withType))).isEqualTo(event);
        }
    }

    @Test
    void recordsWithOtherEscapesOrAnotherFieldOrderReadTheSame() {
        String escaped = "{\"type\":\"line\",\"seq\":7,\"ts\":\"2026-11-22T10:00:00Z\",\"line\":3,\"stream\":\"stdout\","
                + "\"text\":\"a\\/b\\u001bc\\ud83d\\ude00\",\"sensitive\":false}";
        String reordered = "{\"type\":\"line\",\"ts\":\"2026-11-22T10:00:00Z\",\"seq\":7,\"text\":\"a/b\\u001Bc😀\","
                + "\"stream\":\"stdout\",\"line\":3,\"sensitive\":false}";
        JobEvent expected = new JobEvent(5, 7, Instant.parse("2026-11-22T10:00:00Z"), new OutputLine(3, OutputLine.Stream.STDOUT, "a/b\u001bc😀", false));

        assertThat(json.fromStorage(5, escaped.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThat(json.fromStorage(5, reordered.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(expected);
        assertThatThrownBy(() -> json.fromStorage(5, escaped.substring(0, 60).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
