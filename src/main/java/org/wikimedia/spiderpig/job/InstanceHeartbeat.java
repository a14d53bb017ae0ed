package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.InstanceStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Says every few seconds that this instance is alive and renews the queue leases it holds, off every request
 * path. Each beat also pokes every group with unfinished jobs: a group whose holder stopped beating is taken
 * over here once its lease expired (see {@link ClusterQueue}).
 */
class InstanceHeartbeat implements SmartLifecycle {

    /** Instances silent this long are forgotten: every start of a server is a new one. */
    private static final Duration FORGET_AFTER = Duration.ofDays(7);

    private final ThisInstance me;
    private final InstanceStore instances;
    private final QueueLeaseStore leases;
    private final JobStore jobs;
    private final JobQueue queue;
    private final Duration leaseTtl;
    private final Clock clock;
    private final PeriodicWork beats;

    InstanceHeartbeat(ThisInstance me, InstanceStore instances, QueueLeaseStore leases, JobStore jobs, JobQueue queue,
                      Duration interval, Duration leaseTtl, Clock clock) {
        this.me = me;
        this.instances = instances;
        this.leases = leases;
        this.jobs = jobs;
        this.queue = queue;
        this.leaseTtl = leaseTtl;
        this.clock = clock;
        this.beats = new PeriodicWork("instance-heartbeat", interval, Flux.empty(), () -> true, this::beat);
    }

    /**
     * The first beat, at startup before jobs are recovered: this instance is alive, and the leases of earlier
     * processes on its host are dropped (their jobs are re-attached here, holding their groups again).
     */
    static Mono<Void> announce(ThisInstance me, InstanceStore instances, QueueLeaseStore leases, Clock clock) {
        return instances.beat(me.id(), me.host(), me.startedAt(), clock.instant())
                .then(leases.releaseEarlierInstances(me.host(), me.id()));
    }

    Mono<Void> beat() {
        Instant now = clock.instant();
        return instances.beat(me.id(), me.host(), me.startedAt(), now)
                .then(leases.renewAll(me.id(), now.plus(leaseTtl)))
                .then(instances.forgetNotSeenSince(now.minus(FORGET_AFTER)))
                .then(jobs.inStates(Set.of(JobState.QUEUED, JobState.RUNNING, JobState.AWAITING_INPUT))
                        .map(Job::concurrencyGroup)
                        .distinct()
                        .doOnNext(queue::poke)
                        .then());
    }

    @Override
    public void start() {
        beats.start();
    }

    @Override
    public void stop() {
        beats.stop();
    }

    @Override
    public boolean isRunning() {
        return beats.running();
    }
}
