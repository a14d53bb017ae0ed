package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.InstanceStore;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
import reactor.core.publisher.Mono;

/**
 * One queue per concurrency group across every instance on the database. An instance starts a group's next job
 * only while it holds the group's lease, no job of the group runs on a live instance elsewhere, and the job was
 * accepted on its host (or on one that stopped answering: its queue is taken over); a job whose host stopped
 * heartbeating for longer than the lease's time to live is interrupted first (see {@link DeadHostJobs}). The
 * lease is held while the job runs (the heartbeat renews it) and let go at its end.
 */
public class ClusterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterQueue.class);

    private final ThisInstance me;
    private final QueueLeaseStore leases;
    private final InstanceStore instances;
    private final JobOwnerStore owners;
    private final JobStore jobs;
    private final DeadHostJobs deadHosts;
    private final Duration leaseTtl;
    private final Clock clock;

    ClusterQueue(ThisInstance me, QueueLeaseStore leases, InstanceStore instances, JobOwnerStore owners, JobStore jobs,
                 DeadHostJobs deadHosts, Duration leaseTtl, Clock clock) {
        this.me = me;
        this.leases = leases;
        this.instances = instances;
        this.owners = owners;
        this.jobs = jobs;
        this.deadHosts = deadHosts;
        this.leaseTtl = leaseTtl;
        this.clock = clock;
    }

    /**
     * Whether this instance may start the group's next job now (the caller has no job of the group starting or
     * running). On false nothing is held.
     */
    Mono<Boolean> acquire(String group) {
        Instant now = clock.instant();
        return leases.acquire(group, me.id(), now, now.plus(leaseTtl))
                .flatMap(held -> !held ? Mono.just(false) : noneRunningElsewhere(group)
                        .flatMap(free -> free ? nextStartsOnThisHost(group) : Mono.just(false))
                        .flatMap(ours -> ours ? Mono.just(true) : leases.release(group, me.id()).thenReturn(false)));
    }

    /** A job was accepted here: it starts on this host unless the host stops answering before its turn. */
    Mono<Void> accepted(Job job) {
        return owners.accepted(job.id(), me.host());
    }

    /** The job was just marked running here: it is this instance's (and this host's) from now on. */
    Mono<Void> started(Job job) {
        return owners.record(job.id(), me.asOwner()).onErrorResume(e -> {
            LOG.error("job {}: could not record that instance {} runs it", job.id(), me.id(), e);
            return Mono.empty();
        });
    }

    /** A job re-attached to after a restart holds its group's lease and is this instance's. */
    Mono<Void> resumed(Job job) {
        return leases.hold(job.concurrencyGroup(), me.id(), clock.instant().plus(leaseTtl)).then(started(job));
    }

    Mono<Void> release(String group) {
        return leases.release(group, me.id());
    }

    /** Whether the job's process lives on another host (its re-attaching is that host's business). */
    Mono<Boolean> runsOnAnotherHost(Job job) {
        return owners.of(job.id()).map(owner -> !owner.host().equals(me.host())).defaultIfEmpty(false);
    }

    /**
     * Whether the group's oldest queued job is this host's to start: accepted here, by a host that stopped
     * answering, or before hosts were recorded. Another live host starts its own at its next heartbeat.
     */
    private Mono<Boolean> nextStartsOnThisHost(String group) {
        return jobs.inStates(Set.of(JobState.QUEUED))
                .filter(job -> group.equals(job.concurrencyGroup()))
                .next()
                .flatMap(job -> owners.host(job.id()))
                .flatMap(host -> host.equals(me.host()) ? Mono.just(true)
                        : lastSeen(host).map(seen -> !isAlive(seen)))
                .defaultIfEmpty(true);
    }

    private Mono<Boolean> noneRunningElsewhere(String group) {
        return jobs.inStates(JobState.ACTIVE)
                .filter(job -> group.equals(job.concurrencyGroup()))
                .concatMap(this::stillRunning)
                .all(running -> !running);
    }

    /** True while the job's host answers; a job whose host stopped answering is interrupted, and false. */
    private Mono<Boolean> stillRunning(Job job) {
        return owners.of(job.id())
                .map(JobOwnerStore.JobOwner::host)
                // Started before owners were recorded: by a server on this host (recovery took care of it).
                .defaultIfEmpty(me.host())
                .flatMap(host -> lastSeen(host)
                        .flatMap(seen -> isAlive(seen) ? Mono.just(true)
                                : deadHosts.interrupt(job, host, seen.orElse(null)).thenReturn(false)));
    }

    private Mono<Optional<Instant>> lastSeen(String host) {
        return instances.hostLastSeen(host).map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    /** Whether a host last seen then still counts as alive (within the lease's time to live). */
    private boolean isAlive(Optional<Instant> lastSeen) {
        return lastSeen.isPresent() && lastSeen.get().isAfter(clock.instant().minus(leaseTtl));
    }
}
