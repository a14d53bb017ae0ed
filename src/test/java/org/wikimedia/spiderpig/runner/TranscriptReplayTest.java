package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.support.ScapTranscripts;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Replays scap's recorded backport transcripts (from {@code ${spiderpig.shared-dir}/fixtures}) through a
 * subprocess that speaks the protocol: every line, status and progress record comes out, in order, with
 * sensitive lines flagged. Skipped where the shared directory is absent.
 */
class TranscriptReplayTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SubprocessLauncher launcher = new SubprocessLauncher();

    @AfterAll
    static void close() {
        launcher.close();
    }

    @ParameterizedTest
    @MethodSource(ScapTranscripts.SOURCE)
    void everyRecordComesOutInOrder(Path transcript) throws IOException {
        assumeTrue(transcript != null, ScapTranscripts.ABSENT);
        List<RunnerEvent> expected = new ArrayList<>();
        expected.add(new RunnerEvent.Output(OutputLine.Stream.STDOUT, TranscriptReplayer.FORGED, false));
        int exitStatus = 0;
        for (String record : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
            JsonNode payload = JSON.readTree(record).get("payload");
            switch (payload.get("type").asString()) {
                case "line" -> {
                    boolean isSensitive = payload.has("sensitive") && payload.get("sensitive").booleanValue();
                    expected.add(new RunnerEvent.Output(OutputLine.Stream.STDOUT, payload.get("line").asString(), isSensitive));
                }
                case "status" -> expected.add(new RunnerEvent.Status(
                        payload.get("status").isNull() ? null : payload.get("status").asString()));
                case "progress" -> expected.add(new RunnerEvent.ProgressReport(
                        JSON.treeToValue(payload.get("progress"), Progress.class)));
                case "exit" -> exitStatus = payload.get("status").asInt();
                default -> throw new AssertionError("unknown record " + record);
            }
        }
        expected.add(new RunnerEvent.Exited(exitStatus, null));

        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TranscriptReplayer.class.getName(), transcript.toString());
        LaunchSpec spec = TestScripts.spec(100, transcript.getParent(), command);
        JobProcess process = launcher.launch(spec).block(Duration.ofMinutes(1));
        List<RunnerEvent> events = process.events().collectList().block(Duration.ofMinutes(2));

        // equality includes each line's sensitive flag
        assertThat(events).containsExactlyElementsOf(expected);
    }
}
