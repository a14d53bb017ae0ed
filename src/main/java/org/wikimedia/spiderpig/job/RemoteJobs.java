package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.util.Map;
import org.wikimedia.spiderpig.store.JobCommandStore;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import reactor.core.publisher.Mono;

/**
 * Hands an answer, cancel or signal accepted here to the instance that runs the job (through the database; that
 * instance carries it out, see {@link JobCommandRelay}). Only consulted for a job not running here.
 */
public class RemoteJobs {

    static final String ANSWER = "answer";
    static final String CANCEL = "cancel";
    static final String SIGNAL = "signal";

    private final ThisInstance me;
    private final JobOwnerStore owners;
    private final JobCommandStore commands;
    private final Clock clock;

    RemoteJobs(ThisInstance me, JobOwnerStore owners, JobCommandStore commands, Clock clock) {
        this.me = me;
        this.owners = owners;
        this.commands = commands;
        this.clock = clock;
    }

    /** Whether another instance runs the job. */
    Mono<Boolean> runsElsewhere(long jobId) {
        return owners.of(jobId).map(owner -> !owner.instanceId().equals(me.id())).defaultIfEmpty(false);
    }

    Mono<Void> answer(long jobId, long interactionId, String line) {
        return send(jobId, ANSWER, Map.of("interaction", Long.toString(interactionId), "response", line));
    }

    Mono<Void> cancel(long jobId, String by) {
        return send(jobId, CANCEL, Map.of("by", by));
    }

    Mono<Void> signal(long jobId, JobSignal signal, String by) {
        return send(jobId, SIGNAL, Map.of("signal", signal.wireName(), "by", by));
    }

    private Mono<Void> send(long jobId, String kind, Map<String, String> payload) {
        return commands.add(jobId, kind, payload, clock.instant());
    }
}
