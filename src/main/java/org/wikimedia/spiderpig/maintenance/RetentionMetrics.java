package org.wikimedia.spiderpig.maintenance;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToLongFunction;

/** Retention's totals as Prometheus counters, read from the service at each scrape. */
class RetentionMetrics implements MeterBinder {

    private final RetentionService retention;

    RetentionMetrics(RetentionService retention) {
        this.retention = retention;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "spiderpig.cleanup.deleted", "what", "jobs", RetentionCounters::jobsRemoved,
                "Finished jobs deleted by retention, with their prompts and logs");
        counter(registry, "spiderpig.cleanup.deleted", "what", "log-bytes", RetentionCounters::logBytesRemoved,
                "Finished jobs deleted by retention, with their prompts and logs");
        counter(registry, "spiderpig.cleanup.runs", "outcome", "deleted", RetentionCounters::runs,
                "Retention runs by outcome");
        counter(registry, "spiderpig.cleanup.runs", "outcome", "dry-run", RetentionCounters::dryRuns,
                "Retention runs by outcome");
        counter(registry, "spiderpig.cleanup.runs", "outcome", "failed", RetentionCounters::failedRuns,
                "Retention runs by outcome");
    }

    private void counter(MeterRegistry registry, String name, String tag, String value,
            ToLongFunction<RetentionCounters> count, String description) {
        FunctionCounter.builder(name, retention, r -> count.applyAsLong(r.counters()))
                .tag(tag, value).description(description).register(registry);
    }
}
