package org.wikimedia.spiderpig.maintenance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.maintenance.RetentionReport.Reason;
import org.wikimedia.spiderpig.maintenance.RetentionReport.Removal;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes old finished jobs with their prompts and logs: those finished longer than {@code maxAge} ago and, under
 * a log size cap, the oldest further ones until the logs fit, always keeping the newest {@code keepNewest}
 * finished jobs. A job that is queued, running or awaiting input is never removed: each delete is conditional on
 * the job being finished in the database, and its log goes only after its record did.
 */
public class RetentionService {

    /** Called between choosing the jobs and deleting them; tests use it to change a job meanwhile. */
    @FunctionalInterface
    public interface AfterSelection {
        AfterSelection NOTHING = jobIds -> Mono.empty();

        Mono<Void> selected(List<Long> jobIds);
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final JobStore store;
    private final JobEventLogs logs;
    private final MaintenanceLock lock;
    private final RetentionSettings settings;
    private final Clock clock;
    private final AfterSelection afterSelection;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong dryRuns = new AtomicLong();
    private final AtomicLong failedRuns = new AtomicLong();
    private final AtomicLong jobsRemoved = new AtomicLong();
    private final AtomicLong logBytesRemoved = new AtomicLong();
    private final AtomicReference<RetentionReport> lastRun = new AtomicReference<>();

    public RetentionService(JobStore store, JobEventLogs logs, MaintenanceLock lock, RetentionSettings settings,
                            Clock clock, AfterSelection afterSelection) {
        this.store = store;
        this.logs = logs;
        this.lock = lock;
        this.settings = settings;
        this.clock = clock;
        this.afterSelection = afterSelection;
    }

    public RetentionSettings settings() {
        return settings;
    }

    /** Lists what a run would remove now, removing nothing. */
    public Mono<RetentionReport> dryRun() {
        return Mono.defer(() -> {
            Instant started = clock.instant();
            return select(started).map(plan -> report(true, started, plan.removals(), List.of(), plan.logBytes()));
        }).doOnNext(report -> {
            dryRuns.incrementAndGet();
            LOG.info("retention dry run: {} jobs ({} bytes of logs) would be removed", report.removed().size(),
                    report.logBytesRemoved());
        });
    }

    /** Removes what is due; refused with a 409 problem while a backup or another cleanup runs. */
    public Mono<RetentionReport> run() {
        return lock.exclusively("retention cleanup", Mono.defer(() -> {
            Instant started = clock.instant();
            return select(started).flatMap(plan -> afterSelection
                    .selected(plan.removals().stream().map(Removal::jobId).toList())
                    .then(remove(plan.removals()))
                    .map(removed -> {
                        Set<Long> gone = new HashSet<>(removed.stream().map(Removal::jobId).toList());
                        List<Long> spared = plan.removals().stream().map(Removal::jobId)
                                .filter(id -> !gone.contains(id)).toList();
                        return report(false, started, removed, spared, plan.logBytes());
                    }));
        })).doOnNext(report -> {
            runs.incrementAndGet();
            jobsRemoved.addAndGet(report.removed().size());
            logBytesRemoved.addAndGet(report.logBytesRemoved());
            lastRun.set(report);
            LOG.info("retention: removed {} jobs ({} bytes of logs){}", report.removed().size(),
                    report.logBytesRemoved(),
                    report.spared().isEmpty() ? "" : "; spared " + report.spared() + ", no longer finished");
        }).doOnError(error -> {
            failedRuns.incrementAndGet();
            LOG.warn("retention run failed: {}", error.toString());
        });
    }

    public RetentionCounters counters() {
        return new RetentionCounters(runs.get(), dryRuns.get(), failedRuns.get(), jobsRemoved.get(),
                logBytesRemoved.get());
    }

    /** The last run that removed (or found nothing to remove), if any since the server started. */
    public Optional<RetentionReport> lastRun() {
        return Optional.ofNullable(lastRun.get());
    }

    private record Plan(List<Removal> removals, long logBytes) {
    }

    private Mono<Plan> select(Instant now) {
        Instant tooOld = now.minus(settings.maxAge());
        Instant settled = now.minus(RetentionSettings.SETTLED);
        return logs.sizesOnDisk().flatMap(sizes -> store.finishedBeyondNewest(settings.keepNewest())
                .filter(job -> job.finishedAt() != null && job.finishedAt().isBefore(settled))
                .collectList()
                .map(candidates -> plan(candidates, sizes, tooOld)));
    }

    private Plan plan(List<Job> oldestFirst, Map<Long, Long> sizes, Instant tooOld) {
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        long remaining = total;
        List<Removal> removals = new ArrayList<>();
        for (Job job : oldestFirst) {
            long size = sizes.getOrDefault(job.id(), 0L);
            boolean old = job.finishedAt().isBefore(tooOld);
            boolean overCap = settings.maxLogBytes() != null && remaining > settings.maxLogBytes();
            if (old || overCap) {
                removals.add(new Removal(job.id(), job.state().wireName(), job.finishedAt(), size,
                        old ? Reason.AGE : Reason.LOG_SIZE));
                remaining -= size;
            }
        }
        return new Plan(List.copyOf(removals), total);
    }

    private Mono<List<Removal>> remove(List<Removal> removals) {
        return Flux.fromIterable(removals)
                .concatMap(removal -> store.deleteIfFinished(removal.jobId())
                        .filter(deleted -> deleted)
                        .flatMap(deleted -> logs.delete(removal.jobId()).thenReturn(removal)))
                .collectList();
    }

    private RetentionReport report(boolean dryRun, Instant started, List<Removal> removed, List<Long> spared,
                                   long logBytesBefore) {
        long bytes = removed.stream().mapToLong(Removal::logBytes).sum();
        return new RetentionReport(dryRun, started, clock.instant(), removed, spared, logBytesBefore, bytes);
    }
}
