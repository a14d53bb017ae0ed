package org.wikimedia.spiderpig.model.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.wikimedia.spiderpig.model.CancelRequested;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.EventType;
import org.wikimedia.spiderpig.model.InteractionAnswered;
import org.wikimedia.spiderpig.model.InteractionClosed;
import org.wikimedia.spiderpig.model.InteractionOpened;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.ProgressChanged;
import org.wikimedia.spiderpig.model.StateChanged;
import org.wikimedia.spiderpig.model.StatusChanged;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON forms of a {@link JobEvent}.
 *
 * <ul>
 *   <li>Wire: the {@code data:} line of an SSE message, {@code {"seq","ts",…payload fields…}} as in
 *       docs/api.md, {@code ts} ISO-8601 UTC, null fields written as null.</li>
 *   <li>Storage: the same object with {@code "type"} (the wire name) in front, one per line in a job's
 *       log file; {@link #fromStorage} reads it back into an equal event.</li>
 *   <li>Log line: {@code {"line","ts","stream","text","sensitive"}}, an entry of a log range answer.</li>
 * </ul>
 *
 * The mapper is derived from the one given, with the settings the wire needs forced, so that a
 * differently configured application mapper cannot change the wire format.
 */
public final class EventJson {

    private static final Map<EventType, Class<? extends EventPayload>> PAYLOAD_CLASSES = payloadClasses();

    private final JsonMapper mapper;

    public EventJson() {
        this(JsonMapper.builder().build());
    }

    public EventJson(JsonMapper mapper) {
        this.mapper = mapper.rebuild()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .changeDefaultPropertyInclusion(incl -> incl
                        .withValueInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                        .withContentInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS))
                .build();
    }

    public JsonMapper mapper() {
        return mapper;
    }

    /** The SSE {@code data:} JSON of an event, one line. */
    public String toWire(JobEvent event) {
        return new String(toWireBytes(event), StandardCharsets.UTF_8);
    }

    /** {@link #toWire} as UTF-8. */
    public byte[] toWireBytes(JobEvent event) {
        if (event.payload() instanceof OutputLine line) {
            return LineJson.of(event, line, false);
        }
        return mapper.writeValueAsBytes(wireNode(event));
    }

    /** The wire object, for callers that embed it in a larger answer. */
    public ObjectNode wireNode(JobEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("seq", event.seq());
        node.put("ts", event.ts().toString());
        node.setAll((ObjectNode) mapper.valueToTree(event.payload()));
        return node;
    }

    /** An output line as an entry of {@code GET /api/jobs/{id}/log}: {@code {"line","ts","stream","text","sensitive"}}. */
    public ObjectNode logLineNode(JobEvent event) {
        if (!(event.payload() instanceof OutputLine line)) {
            throw new IllegalArgumentException("not an output line: " + event.type());
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("line", line.line());
        node.put("ts", event.ts().toString());
        node.put("stream", line.stream() == null ? null : line.stream().wireName());
        node.put("text", line.text());
        node.put("sensitive", line.sensitive());
        return node;
    }

    /** The stored form of an event: its wire object with {@code "type"} first, UTF-8, without a newline. */
    public byte[] toStorage(JobEvent event) {
        if (event.payload() instanceof OutputLine line) {
            return LineJson.of(event, line, true);
        }
        ObjectNode node = mapper.createObjectNode();
        node.put("type", event.type().wireName());
        node.setAll(wireNode(event));
        return mapper.writeValueAsBytes(node);
    }

    /**
     * {@link Instant#parse} for what {@link Instant#toString} writes ({@code 2026-11-22T10:00:00.123Z}, with
     * 0, 3, 6 or 9 fraction digits), computed directly: the general parser was a fifth of the cost of
     * reading a log back. Anything else goes to {@link Instant#parse}.
     */
    static Instant parseInstant(String text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(length - 1) != 'Z'
                || (length > 20 && text.charAt(19) != '.')) {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 7);
        int day = digits(text, 8, 10);
        int hour = digits(text, 11, 13);
        int minute = digits(text, 14, 16);
        int second = digits(text, 17, 19);
        int fractionDigits = length > 20 ? length - 21 : 0;
        int nanos = fractionDigits == 0 ? 0 : digits(text, 20, length - 1);
        // Not digits (-1) or out of range: the general parser says what is wrong. LocalDate checks the date.
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59 || nanos < 0 || fractionDigits > 9) {
            return Instant.parse(text);
        }
        for (int i = fractionDigits; i < 9; i++) {
            nanos *= 10;
        }
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
        } catch (java.time.DateTimeException notADate) {
            return Instant.parse(text);
        }
    }

    /** The number in {@code text[from, to)}, or -1 if a character there is not a digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Reads one stored record; throws {@link IllegalArgumentException} when it is not a valid record. */
    public JobEvent fromStorage(long jobId, byte[] record, int offset, int length) {
        // Nearly every record is a line as LineJson wrote it: read directly (the benchmarks' hot path);
        // anything else, older or hand-made records included, goes through Jackson.
        JobEvent line = LineJson.read(jobId, record, offset, length);
        if (line != null) {
            return line;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(record, offset, length);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON record", e);
        }
        if (!(tree instanceof ObjectNode node) || !node.hasNonNull("type") || !node.hasNonNull("seq")
                || !node.hasNonNull("ts")) {
            throw new IllegalArgumentException("not an event record");
        }
        try {
            EventType type = EventType.fromWireName(node.remove("type").asString());
            long seq = node.remove("seq").asLong();
            Instant ts = Instant.parse(node.remove("ts").asString());
            EventPayload payload = mapper.treeToValue(node, PAYLOAD_CLASSES.get(type));
            return new JobEvent(jobId, seq, ts, payload);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not an event record", e);
        }
    }

    public JobEvent fromStorage(long jobId, byte[] record) {
        return fromStorage(jobId, record, 0, record.length);
    }

    private static Map<EventType, Class<? extends EventPayload>> payloadClasses() {
        Map<EventType, Class<? extends EventPayload>> classes = new EnumMap<>(EventType.class);
        classes.put(EventType.LINE, OutputLine.class);
        classes.put(EventType.STATUS, StatusChanged.class);
        classes.put(EventType.PROGRESS, ProgressChanged.class);
        classes.put(EventType.INTERACTION, InteractionOpened.class);
        classes.put(EventType.INTERACTION_ANSWERED, InteractionAnswered.class);
        classes.put(EventType.INTERACTION_CLOSED, InteractionClosed.class);
        classes.put(EventType.CANCEL_REQUESTED, CancelRequested.class);
        classes.put(EventType.STATE, StateChanged.class);
        classes.put(EventType.END, JobEnded.class);
        return classes;
    }
}
