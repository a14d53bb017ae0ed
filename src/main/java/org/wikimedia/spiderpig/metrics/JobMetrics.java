package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;

/** What running jobs produce: output lines and bytes by stream, and how long finished jobs took. */
public class JobMetrics {

    private final MeterRegistry registry;
    private final Map<OutputLine.Stream, Counter> lines = new EnumMap<>(OutputLine.Stream.class);
    private final Map<OutputLine.Stream, Counter> bytes = new EnumMap<>(OutputLine.Stream.class);

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (OutputLine.Stream stream : OutputLine.Stream.values()) {
            lines.put(stream, Counter.builder("spiderpig.output.lines").tag("stream", stream.wireName())
                    .description("Lines of output read from jobs' processes").register(registry));
            bytes.put(stream, Counter.builder("spiderpig.output.bytes").tag("stream", stream.wireName())
                    .baseUnit("bytes").description("Bytes (UTF-8) of output read from jobs' processes")
                    .register(registry));
        }
    }

    /** Called for every line a job's process writes; cheap enough for the output's hot path. */
    public void outputLine(OutputLine.Stream stream, String text) {
        lines.get(stream).increment();
        bytes.get(stream).increment(Utf8.length(text) + 1);
    }

    /** A running job was let go of because the database stayed away past its outage retry (to be re-attached). */
    public void letGoDuringDatabaseOutage() {
        registry.counter("spiderpig.jobs.database.outages").increment();
    }

    /** A job reached its final state after running for {@code ran} (from start to end). */
    public void jobFinished(String type, JobState outcome, Duration ran) {
        Timer.builder("spiderpig.job.duration").tag("type", type).tag("outcome", outcome.wireName())
                .description("How long jobs ran, from start to their final state")
                .register(registry)
                .record(ran);
    }
}
