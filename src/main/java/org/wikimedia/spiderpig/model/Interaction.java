package org.wikimedia.spiderpig.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Map;

/**
 * A prompt as users see it. {@code kind} is {@code choices} or {@code input_line}; {@code choices} maps
 * label to key (ordered). The answer fields are null while it is pending; {@code closedReason} is set
 * when it was closed without an answer (job ended, cancelled, or interrupted by a server restart).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Interaction(
        long id,
        long jobId,
        String kind,
        String prompt,
        Map<String, String> choices,
        @JsonProperty("default") String defaultChoice,
        Instant openedAt,
        String response,
        String answeredBy,
        Instant answeredAt,
        String closedReason,
        Instant closedAt) {

    public static final String CHOICES = "choices";
    public static final String INPUT_LINE = "input_line";

    public boolean pending() {
        return response == null && closedReason == null;
    }
}
