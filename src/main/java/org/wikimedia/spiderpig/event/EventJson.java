package org.wikimedia.spiderpig.event;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
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
        return mapper.writeValueAsString(wireNode(event));
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
        node.put("stream", line.stream());
        node.put("text", line.text());
        node.put("sensitive", line.sensitive());
        return node;
    }

    /** The stored form of an event: its wire object with {@code "type"} first, UTF-8, without a newline. */
    public byte[] toStorage(JobEvent event) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", event.type().wireName());
        node.setAll(wireNode(event));
        return mapper.writeValueAsBytes(node);
    }

    /** Reads one stored record; throws {@link IllegalArgumentException} when it is not a valid record. */
    public JobEvent fromStorage(long jobId, byte[] record, int offset, int length) {
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
