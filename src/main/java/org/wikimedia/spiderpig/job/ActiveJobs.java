package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.wikimedia.spiderpig.model.Job;
import reactor.core.publisher.Mono;

/** The jobs this server process is running now, by id; what is meant for a job another instance runs goes there. */
public class ActiveJobs {

    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();
    private final RemoteJobs remote;

    public ActiveJobs() {
        this(null);
    }

    /** {@code remote}: where answers for jobs of other instances go; null for none. */
    ActiveJobs(RemoteJobs remote) {
        this.remote = remote;
    }

    /** Passes a command on to the instance that runs the job; false when no other instance does. */
    Mono<Boolean> passOnIfElsewhere(long jobId, Function<RemoteJobs, Mono<Void>> passOn) {
        if (remote == null) {
            return Mono.just(false);
        }
        return remote.runsElsewhere(jobId)
                .flatMap(elsewhere -> elsewhere ? passOn.apply(remote).thenReturn(true) : Mono.just(false));
    }

    JobExecution register(Job job, java.time.Duration stepTimeout, long appendBacklogBytes) {
        JobExecution execution = new JobExecution(job, stepTimeout, appendBacklogBytes);
        running.put(job.id(), execution);
        return execution;
    }

    /** Forgets the job's run unless another (a re-attach) has taken its place. */
    void remove(long jobId, JobExecution execution) {
        running.remove(jobId, execution);
    }

    List<JobExecution> all() {
        return List.copyOf(running.values());
    }

    Optional<JobExecution> find(long jobId) {
        return Optional.ofNullable(running.get(jobId));
    }

    /**
     * Writes the answer to prompt {@code interactionId} to the job's subprocess (once, however often it is
     * sent, where the process can tell), here or through the instance that runs it; fails when no server is
     * running the job.
     */
    public Mono<Void> answer(long jobId, long interactionId, String line) {
        return find(jobId).map(execution -> execution.answer(interactionId, line))
                .orElseGet(() -> passOnIfElsewhere(jobId, other -> other.answer(jobId, interactionId, line))
                        .flatMap(passed -> passed ? Mono.<Void>empty()
                                : Mono.error(new IllegalStateException("job " + jobId + " is not running here"))));
    }
}
