package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StatusChanged;
import org.wikimedia.spiderpig.support.ScapTranscripts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * No false alarm on real deploy output: masking the recorded scap runs, as appending and then reading
 * them would, changes nothing but the lines scap itself marked sensitive.
 */
class ScapTranscriptMaskingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final EventMasker masker = EventMasker.withDefaults();
    private final PrivateKeyBlocks blocks = new PrivateKeyBlocks();

    @ParameterizedTest
    @MethodSource(ScapTranscripts.SOURCE)
    void onlyTheLinesMarkedSensitiveChange(Path transcript) throws IOException {
        assumeTrue(transcript != null, ScapTranscripts.ABSENT);
        int lines = 0;
        for (String record : Files.readAllLines(transcript, StandardCharsets.UTF_8)) {
            JsonNode payload = JSON.readTree(record).get("payload");
            String type = payload.get("type").asString();
            if (type.equals("line")) {
                boolean marked = payload.has("sensitive") && payload.get("sensitive").booleanValue();
                OutputLine line = OutputLine.unnumbered(OutputLine.Stream.STDOUT, payload.get("line").asString(), marked);

                List<OutputLine> appended = blocks.lines(line);

                assertThat(appended).as("appended for %s", record).containsExactly(line);
                assertThat(masker.mask(line)).as(record)
                        .isEqualTo(marked ? line.withText(EventMasker.SENSITIVE_TEXT) : line);
                lines++;
            } else if (type.equals("status") && !payload.get("status").isNull()) {
                StatusChanged status = new StatusChanged(payload.get("status").asString());
                assertThat(masker.mask(status)).as(record).isSameAs(status);
            }
        }
        assertThat(lines).as("lines in %s", transcript).isPositive();
    }
}
