package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** How long prompts wait for their answer, and how many answers came too late (409). */
public class PromptMetrics {

    private final Timer wait;
    private final MeterRegistry registry;

    public PromptMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.wait = Timer.builder("spiderpig.prompt.wait")
                .description("Time from a prompt's opening to the answer that won").register(registry);
    }

    public void answered(Duration waited) {
        wait.record(waited);
    }

    /** An answer refused with 409; {@code reason} is the problem type (already-answered, interaction-closed). */
    public void refused(String reason) {
        Counter.builder("spiderpig.prompt.answers.refused").tag("reason", reason)
                .description("Answers refused because the prompt was already answered or closed (409)")
                .register(registry)
                .increment();
    }
}
