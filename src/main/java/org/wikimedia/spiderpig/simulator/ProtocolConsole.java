package org.wikimedia.spiderpig.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.wikimedia.spiderpig.model.Progress;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Speaks scap's SpiderPig I/O protocol: one JSON message per stdout line, carrying the job's key. */
final class ProtocolConsole implements Console {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String ioKey;
    private final PrintStream out;
    private final BufferedReader in;

    ProtocolConsole(String ioKey, PrintStream out, BufferedReader in) {
        this.ioKey = ioKey;
        this.out = out;
        this.in = in;
    }

    @Override
    public void line(String text, boolean sensitive) {
        ObjectNode message = message("line").put("line", text);
        if (sensitive) {
            message.put("sensitive", true);
        }
        send(message);
    }

    @Override
    public void status(String status) {
        send(message("status").put("status", status));
    }

    @Override
    public void progress(Progress progress) {
        ObjectNode message = message("progress");
        message.set("progress", JSON.valueToTree(progress));
        send(message);
    }

    @Override
    public String choose(String prompt, Map<String, String> choices, String defaultKey) {
        ObjectNode message = message("interaction").put("subtype", "choices").put("prompt", prompt);
        ObjectNode choiceNode = message.putObject("choices");
        choices.forEach(choiceNode::put);
        message.put("default", defaultKey);
        while (true) {
            send(message);
            String answer = readLine();
            if (answer == null) {
                return null;
            }
            if (answer.isBlank() && defaultKey != null) {
                return defaultKey;
            }
            if (choices.containsValue(answer.strip())) {
                return answer.strip();
            }
            line("\u001b[33mInvalid choice \"" + answer + "\"; expected one of " + choices.values() + "\u001b[0m");
        }
    }

    private String readLine() {
        try {
            return in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private void send(ObjectNode message) {
        message.put("iokey", ioKey);
        out.println(JSON.writeValueAsString(message));
        out.flush();
    }
}
