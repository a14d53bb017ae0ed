package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A subprocess for tests that speaks the SpiderPig I/O protocol like scap: it replays a recorded
 * transcript ({@code {"payload": {...}}} per line), adding the job's I/O key to every message, and
 * exits with the recorded status. Before the transcript it prints a message with a forged key.
 */
public final class TranscriptReplayer {

    static final String FORGED = "{\"iokey\":\"forged\",\"type\":\"status\",\"status\":\"forged\"}";

    public static void main(String[] args) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        String key = System.getenv("SPIDERPIG_IO_KEY");
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        out.println(FORGED);
        int exitStatus = 0;
        List<String> records = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (String record : records) {
            JsonNode payload = json.readTree(record).get("payload");
            if ("exit".equals(payload.get("type").asString())) {
                exitStatus = payload.get("status").asInt();
                continue;
            }
            ObjectNode message = ((ObjectNode) payload.deepCopy()).put("iokey", key);
            out.println(json.writeValueAsString(message));
        }
        out.flush();
        System.exit(exitStatus);
    }
}
