package org.wikimedia.spiderpig.runner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.Progress;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads scap's SpiderPig I/O protocol: a stdout line that is a JSON object whose {@code iokey} is this
 * job's key is a message. Anything else — no key, a wrong key, broken JSON — is ordinary output, so
 * untrusted text a command merely prints (a commit message, a log line) can never forge a message.
 */
public final class ProtocolParser {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final byte[] ioKey;

    public ProtocolParser(String ioKey) {
        if (ioKey == null || ioKey.isEmpty()) {
            throw new IllegalArgumentException("an I/O key is required");
        }
        this.ioKey = ioKey.getBytes(StandardCharsets.UTF_8);
    }

    /** The events a line stands for, or empty when it is not a message of this job (then it is output). */
    public Optional<List<RunnerEvent>> parse(String line) {
        String trimmed = line.strip();
        if (!trimmed.startsWith("{") || !trimmed.endsWith("}") || !trimmed.contains("iokey")) {
            return Optional.empty(); // cheap check first: most lines are plain output
        }
        JsonNode message;
        try {
            message = JSON.readTree(trimmed);
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
        if (message == null || !message.isObject() || !hasOurKey(message)) {
            return Optional.empty();
        }
        // From here on the message is trusted; it is never echoed, because that would print the key.
        return Optional.of(toEvents(message));
    }

    private boolean hasOurKey(JsonNode message) {
        JsonNode key = message.get("iokey");
        return key != null && key.isString()
                && MessageDigest.isEqual(ioKey, key.stringValue().getBytes(StandardCharsets.UTF_8));
    }

    private static List<RunnerEvent> toEvents(JsonNode message) {
        String type = text(message, "type");
        if (type == null) {
            return ignored("a message without a type");
        }
        return switch (type) {
            case "line" -> lines(message);
            case "status" -> List.of(new RunnerEvent.Status(text(message, "status")));
            case "progress" -> progress(message);
            case "interaction" -> interaction(message);
            default -> ignored("a message of unknown type \"" + type + "\"");
        };
    }

    private static List<RunnerEvent> lines(JsonNode message) {
        String text = text(message, "line");
        if (text == null) {
            return ignored("a line message without a line");
        }
        JsonNode sensitive = message.get("sensitive");
        boolean isSensitive = sensitive != null && sensitive.isBoolean() && sensitive.booleanValue();
        List<RunnerEvent> events = new ArrayList<>();
        for (String part : text.split("\r?\n", -1)) {
            events.add(new RunnerEvent.Output(OutputLine.Stream.STDOUT, part, isSensitive));
        }
        return events;
    }

    private static List<RunnerEvent> progress(JsonNode message) {
        JsonNode p = message.get("progress");
        if (p == null || !p.isObject()) {
            return ignored("a progress message without progress");
        }
        JsonNode finished = p.get("progressFinished");
        return List.of(new RunnerEvent.ProgressReport(new Progress(
                text(p, "name"),
                integer(p, "totalTasks"),
                integer(p, "tasksInFlight"),
                integer(p, "tasksFinishedOk"),
                integer(p, "tasksFinishedFailed"),
                integer(p, "tasksFinishedTotal"),
                integer(p, "tasksPercentComplete"),
                integer(p, "tasksRemaining"),
                finished != null && finished.isBoolean() ? finished.booleanValue() : null)));
    }

    private static List<RunnerEvent> interaction(JsonNode message) {
        String subtype = text(message, "subtype");
        String prompt = text(message, "prompt");
        if (prompt == null || !("choices".equals(subtype) || "input_line".equals(subtype))) {
            return ignored("an interaction message without a prompt or with subtype \"" + subtype + "\"");
        }
        Map<String, String> choices = new LinkedHashMap<>();
        JsonNode choiceNode = message.get("choices");
        if (choiceNode != null && choiceNode.isObject()) {
            for (Map.Entry<String, JsonNode> choice : choiceNode.properties()) {
                choices.put(choice.getKey(), scalarText(choice.getValue()));
            }
        }
        if ("choices".equals(subtype) && choices.isEmpty()) {
            return ignored("a choices interaction without choices");
        }
        String defaultKey = text(message, "default");
        // A protocol prompt is not printed by the command; the log shows it as a terminal would have.
        return List.of(
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, asTerminalLine(prompt, choices, defaultKey), false),
                new RunnerEvent.Prompt(subtype, prompt, Collections.unmodifiableMap(choices), defaultKey));
    }

    /** "Continue with sync? [Yes (y) / No (n)] (default: n)". */
    static String asTerminalLine(String prompt, Map<String, String> choices, String defaultKey) {
        StringBuilder line = new StringBuilder(prompt);
        if (!choices.isEmpty()) {
            StringJoiner options = new StringJoiner(" / ", " [", "]");
            choices.forEach((label, key) -> options.add(label + " (" + key + ")"));
            line.append(options);
        }
        if (defaultKey != null) {
            line.append(" (default: ").append(defaultKey).append(')');
        }
        return line.toString();
    }

    private static List<RunnerEvent> ignored(String what) {
        return List.of(new RunnerEvent.Output(OutputLine.Stream.STDOUT,
                "[spiderpig] ignored " + what + " from the command", false));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return scalarText(value);
    }

    private static String scalarText(JsonNode value) {
        if (value.isString()) {
            return value.stringValue();
        }
        return value.isValueNode() ? value.asString() : value.toString();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isNumber() ? Integer.valueOf(value.asInt()) : null;
    }
}
