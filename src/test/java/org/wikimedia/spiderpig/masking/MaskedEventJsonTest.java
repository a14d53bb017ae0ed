package org.wikimedia.spiderpig.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;

class MaskedEventJsonTest {

    private final MaskedEventJson wire = new MaskedEventJson(EventMasker.withDefaults(), new EventJson());

    private static JobEvent line(long seq, String text, boolean sensitive) {
        return new JobEvent(1, seq, Instant.parse("2026-11-22T10:00:00Z"),
                new OutputLine(seq, OutputLine.Stream.STDOUT, text, sensitive));
    }

    @Test
    void givesTheMaskedWireJson() {
        assertThat(wire(line(3, "password=x", false))).isEqualTo("{\"seq\":3,\"ts\":\"2026-11-22T10:00:00Z\","
                + "\"line\":3,\"stream\":\"stdout\",\"text\":\"password=[REDACTED]\",\"sensitive\":false}");
        assertThat(wire(line(4, "private", true))).contains("\"text\":\"[sensitive output hidden]\"",
                "\"sensitive\":true").doesNotContain("private");
    }

    private String wire(JobEvent event) {
        return new String(wire.wire(event), java.nio.charset.StandardCharsets.UTF_8);
    }
}
