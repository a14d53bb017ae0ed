package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Jobs not yet finished, by state; the queue's length by concurrency group; and how long the oldest
 * pending prompt has waited. A scrape must not wait for the database, so these are read from the store
 * every {@code interval} and the gauges show the last reading.
 */
public class JobStateGauges implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobStateGauges.class);
    private static final Set<JobState> UNFINISHED = Set.of(JobState.QUEUED, JobState.RUNNING, JobState.AWAITING_INPUT);

    private final JobStore jobs;
    private final InteractionStore interactions;
    private final Clock clock;
    private final Set<String> configuredGroups;
    private final Map<JobState, AtomicLong> byState = new EnumMap<>(JobState.class);
    private final MultiGauge queueLength;
    private final AtomicLong oldestPromptSeconds = new AtomicLong();
    private final Disposable polling;

    /** {@code configuredGroups}: the job types' concurrency groups, shown with 0 rather than missing. */
    public JobStateGauges(MeterRegistry registry, JobStore jobs, InteractionStore interactions, Clock clock,
                          Set<String> configuredGroups, Duration interval) {
        this.jobs = jobs;
        this.configuredGroups = Set.copyOf(configuredGroups);
        this.interactions = interactions;
        this.clock = clock;
        for (JobState state : UNFINISHED) {
            AtomicLong count = new AtomicLong();
            byState.put(state, count);
            Gauge.builder("spiderpig.jobs", count, AtomicLong::get).tag("state", state.wireName())
                    .description("Jobs not yet finished, by state").register(registry);
        }
        this.queueLength = MultiGauge.builder("spiderpig.queue.length")
                .description("Jobs waiting their turn, by concurrency group").register(registry);
        Gauge.builder("spiderpig.prompt.oldest.pending", oldestPromptSeconds, AtomicLong::get).baseUnit("seconds")
                .description("How long the oldest prompt still waiting for an answer has waited (0: none)")
                .register(registry);
        this.polling = Flux.interval(interval)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    LOG.warn("could not read the jobs' states for the metrics", e);
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    Mono<Void> refresh() {
        return jobs.inStates(UNFINISHED).collectList().flatMap(unfinished -> {
            for (JobState state : UNFINISHED) {
                byState.get(state).set(unfinished.stream().filter(job -> job.state() == state).count());
            }
            Map<String, Long> queued = new TreeMap<>();
            configuredGroups.forEach(group -> queued.put(group, 0L));
            unfinished.stream().filter(job -> job.state() == JobState.QUEUED)
                    .forEach(job -> queued.merge(job.concurrencyGroup(), 1L, Long::sum));
            queueLength.register(queued.entrySet().stream()
                    .map(group -> MultiGauge.Row.of(Tags.of("group", group.getKey()), group.getValue()))
                    .toList(), true);
            List<Job> awaiting = unfinished.stream().filter(job -> job.state() == JobState.AWAITING_INPUT).toList();
            return Flux.fromIterable(awaiting)
                    .concatMap(job -> interactions.pendingForJob(job.id()))
                    .map(Interaction::openedAt)
                    .reduce((a, b) -> a.isBefore(b) ? a : b)
                    .map(oldest -> Duration.between(oldest, clock.instant()).toSeconds())
                    .defaultIfEmpty(0L)
                    .doOnNext(oldestPromptSeconds::set)
                    .then();
        });
    }

    @Override
    public void close() {
        polling.dispose();
    }
}
