package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.masking.PrivateKeyBlocks;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.ServerTest;
import org.wikimedia.spiderpig.support.ServerTestSupport;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A private key printed over several lines is hidden from its BEGIN to its END line for every reader,
 * wherever the reader starts: the lines are marked sensitive as they are appended.
 */
@ServerTest
class PrivateKeyMaskingTest extends ServerTestSupport {

    static final Path DATA = TestScripts.tempDirectory("spiderpig-keys");
    private static final String HIDDEN = "[sensitive output hidden]";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // The job waits for an answer in the middle of the key, so the key arrives in separate reads.
        TestScripts.jobType(registry, DATA, "keyprinter", """
                echo "Deploying with key:"
                echo "-----BEGIN RSA PRIVATE KEY-----"
                echo "MIIEowIBAAKCAQEAv3hV"
                printf "Continue? [y/N] "
                read -r answer
                echo "Zm9vYmFyYmF6cXV4"
                echo "-----END RSA PRIVATE KEY-----"
                echo "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
                echo "done"
                """);
        TestScripts.jobType(registry, DATA, "unended", """
                echo "-----BEGIN OPENSSH PRIVATE KEY-----"
                for i in $(seq 1 250); do echo "b3BlbnNzaC1rZXktdjE$i"; done
                """);
        registry.add("spiderpig.data-dir", DATA::toString);
    }

    @Test
    void everyReaderSeesTheKeyHiddenWhereverItStarts() throws Exception {
        long id = api.start("keyprinter", Map.of()).get("id").asLong();
        long interaction = api.awaitPrompt(id).get("id").asLong();

        // Paused inside the key: a range read starting at its second line.
        List<JsonNode> midKey = lines(api.get("/api/jobs/" + id + "/log?from=3"));
        assertThat(midKey).isNotEmpty();
        assertThat(midKey.get(0).get("line").asLong()).isEqualTo(3);
        assertThat(midKey).allSatisfy(line -> assertThat(line.get("text").asString()).isEqualTo(HIDDEN));

        api.answer(id, interaction, "y").expectStatus().isOk();
        api.awaitState(id, "succeeded");

        List<JsonNode> all = lines(api.get("/api/jobs/" + id + "/log"));
        // Line 4 is the prompt, line 5 SpiderPig's own note of the answer: not the subprocess's output.
        assertThat(all).extracting(line -> line.get("sensitive").asBoolean())
                .containsExactly(false, true, true, true, false, true, true, false, false);
        assertThat(all.get(0).get("text").asString()).isEqualTo("Deploying with key:");
        assertThat(all.get(4).get("text").asString()).startsWith("[spiderpig] ").endsWith(" answered \"y\"");
        assertThat(all.get(7).get("text").asString()).isEqualTo("export AWS_SECRET_ACCESS_KEY=[REDACTED]");
        assertThat(all.get(8).get("text").asString()).isEqualTo("done");
        assertThat(lines(api.get("/api/jobs/" + id + "/log?from=6&to=7")))
                .singleElement().satisfies(line -> assertThat(line.get("text").asString()).isEqualTo(HIDDEN));

        // An SSE client resuming inside the key (after the event of line 3).
        String replay = sse("/api/jobs/" + id + "/events", seqOfLine(id, 3));
        assertThat(replay).contains("\"line\":4,", HIDDEN, "\"text\":\"done\"");

        String download = client.get().uri("/api/jobs/{id}/log.txt", id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(download).startsWith("Deploying with key:\n[3 sensitive lines hidden]\n[spiderpig] ")
                .endsWith("\n[2 sensitive lines hidden]\nexport AWS_SECRET_ACCESS_KEY=[REDACTED]\ndone\n");

        for (String read : List.of(midKey.toString(), all.toString(), replay, download,
                sse("/api/jobs/" + id + "/events", null))) {
            assertThat(read).doesNotContain("MIIEowIBAAKCAQEAv3hV", "Zm9vYmFy", "wJalrXUtn", "BEGIN RSA");
        }
    }

    @Test
    void aKeyWithoutEndIsHiddenForBoundedlyManyLinesAndTheLogSaysSo() {
        long id = api.start("unended", Map.of()).get("id").asLong();
        api.awaitState(id, "succeeded");

        List<JsonNode> all = lines(api.get("/api/jobs/" + id + "/log"));

        int bound = PrivateKeyBlocks.MAX_BLOCK_LINES;
        assertThat(all).hasSize(251 + 1);
        assertThat(all.subList(0, bound)).allSatisfy(line -> assertThat(line.get("sensitive").asBoolean()).isTrue());
        assertThat(all.get(bound).get("text").asString()).isEqualTo(PrivateKeyBlocks.STOPPED_NOTE);
        assertThat(all.get(bound).get("stream").asString()).isEqualTo("stderr");
        assertThat(all.get(bound + 1).get("text").asString()).isEqualTo("b3BlbnNzaC1rZXktdjE" + bound);
        assertThat(all.subList(bound + 1, all.size())).noneSatisfy(line -> assertThat(line.get("sensitive").asBoolean()).isTrue());
    }

    private static List<JsonNode> lines(JsonNode range) {
        List<JsonNode> lines = new ArrayList<>();
        range.get("lines").forEach(lines::add);
        return lines;
    }

    /** The seq of the event carrying output line {@code line}, from the stream's {@code id:} fields. */
    private long seqOfLine(long id, long line) throws Exception {
        String[] messages = sse("/api/jobs/" + id + "/events", null).split("\n\n");
        for (String message : messages) {
            if (message.contains("\"line\":" + line + ",")) {
                return Long.parseLong(message.lines().filter(l -> l.startsWith("id:")).findFirst().orElseThrow()
                        .substring(3).trim());
            }
        }
        throw new AssertionError("no event for line " + line);
    }

    /** A finished job's whole stream, as curl -N reads it, optionally resumed with Last-Event-ID. */
    private String sse(String path, Long lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
