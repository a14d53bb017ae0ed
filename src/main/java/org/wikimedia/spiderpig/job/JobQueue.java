package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.publisher.Mono;

/**
 * The server-side queue: jobs of one concurrency group run one at a time, the others wait as
 * {@code queued} and start in id order (first in, first out). The queue itself is the jobs table; this
 * class only remembers which groups have a job starting or running in this server process, and asks the
 * {@link ClusterQueue} whether no other instance on the database runs one.
 */
public class JobQueue {

    private static final Logger LOG = LoggerFactory.getLogger(JobQueue.class);

    private final JobStore store;
    private final JobExecutor executor;
    private final Clock clock;
    private final ClusterQueue cluster;
    private final Set<String> busyGroups = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

    public JobQueue(JobStore store, JobExecutor executor, Clock clock, ClusterQueue cluster) {
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.cluster = cluster;
    }

    /** A job was just accepted by this server: it is to start on this host. */
    public Mono<Void> accepted(Job job) {
        return cluster.accepted(job);
    }

    /** Starts the group's oldest queued job unless one of the group's jobs is already running. */
    public void poke(String group) {
        if (stopped || !busyGroups.add(group)) {
            return;
        }
        cluster.acquire(group)
                // Another instance runs the group's job (and starts its next): nothing here to release.
                .flatMap(held -> held ? claimNext(group) : Mono.<Job>fromRunnable(() -> busyGroups.remove(group)))
                .flatMap(job -> cluster.started(job).thenReturn(job))
                .subscribe(
                        job -> executor.run(job)
                                .doFinally(signal -> release(group))
                                .subscribe(done -> {
                                }, error -> LOG.error("job {} ended with an error", job.id(), error)),
                        error -> {
                            LOG.error("could not start the next job of group {}", group, error);
                            release(group);
                        },
                        () -> {
                        });
    }

    /**
     * At startup, before any queued job starts: re-attaches to a job an earlier server process left running,
     * which then holds its group like a job started here. Answers false (the group left free) when the job's
     * process cannot be found.
     */
    public Mono<Boolean> resume(Job job) {
        String group = job.concurrencyGroup();
        // Another host's job is left to that host's server (or, once that host is gone, to ClusterQueue).
        return cluster.runsOnAnotherHost(job).flatMap(elsewhere -> elsewhere ? Mono.just(true) : resumeHere(job, group));
    }

    private Mono<Boolean> resumeHere(Job job, String group) {
        busyGroups.add(group);
        return cluster.resumed(job).then(executor.reattach(job))
                .onErrorResume(error -> letGo(group).then(Mono.error(error)))
                .flatMap(run -> {
                    if (run.isEmpty()) {
                        return letGo(group).thenReturn(false);
                    }
                    run.get().doFinally(signal -> release(group))
                            .subscribe(done -> {
                            }, error -> LOG.error("job {} ended with an error", job.id(), error));
                    return Mono.just(true);
                });
    }

    /** The group's job was not re-attached to: its lease goes, or no other instance could start the group's next. */
    private Mono<Void> letGo(String group) {
        return cluster.release(group)
                .onErrorResume(e -> {
                    LOG.error("could not let go of group {}'s queue lease (it expires by itself)", group, e);
                    return Mono.empty();
                })
                .doFinally(signal -> busyGroups.remove(group));
    }

    /** The server is stopping: no queued job starts any more (they start with the next server). */
    void stop() {
        stopped = true;
    }

    /** Marks the group's oldest queued job running; empty, with the group released, when none is queued. */
    private Mono<Job> claimNext(String group) {
        return store.inStates(Set.of(JobState.QUEUED))
                .filter(job -> group.equals(job.concurrencyGroup()))
                .next()
                .flatMap(candidate -> store.markStarted(candidate.id(), clock.instant())
                        // Cancelled between the query and the update: take the next one.
                        .switchIfEmpty(Mono.defer(() -> claimNext(group))))
                .switchIfEmpty(Mono.fromRunnable(() -> release(group)));
    }

    /** The group is free again; a job queued while it was busy starts now. */
    private void release(String group) {
        if (stopped) {
            // Its job runs on under its supervisor: the group stays held until the next server re-attaches.
            busyGroups.remove(group);
            return;
        }
        // Let go of the lease before the group, so a job started here next is not released with it.
        letGo(group).subscribe(null, null, () -> {
            if (!stopped) {
                pokeIfQueued(group);
            }
        });
    }

    private void pokeIfQueued(String group) {
        store.inStates(Set.of(JobState.QUEUED))
                .filter(job -> group.equals(job.concurrencyGroup()))
                .hasElements()
                .filter(Boolean::booleanValue)
                .subscribe(queued -> poke(group), error -> LOG.error("could not look at group {}", group, error));
    }
}
