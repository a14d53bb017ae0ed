package org.wikimedia.spiderpig.job;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.wikimedia.spiderpig.model.Job;
import reactor.core.publisher.Mono;

/** The jobs this server process is running now, by id. */
public class ActiveJobs {

    private final Map<Long, JobExecution> running = new ConcurrentHashMap<>();

    JobExecution register(Job job, java.time.Duration stepTimeout, long appendBacklogBytes) {
        JobExecution execution = new JobExecution(job, stepTimeout, appendBacklogBytes);
        running.put(job.id(), execution);
        return execution;
    }

    void remove(long jobId) {
        running.remove(jobId);
    }

    List<JobExecution> all() {
        return List.copyOf(running.values());
    }

    Optional<JobExecution> find(long jobId) {
        return Optional.ofNullable(running.get(jobId));
    }

    /**
     * Writes the answer to prompt {@code interactionId} to the job's subprocess (once, however often it is
     * sent, where the process can tell); fails when this server is not running the job.
     */
    public Mono<Void> answer(long jobId, long interactionId, String line) {
        return find(jobId).map(execution -> execution.answer(interactionId, line))
                .orElseGet(() -> Mono.error(new IllegalStateException("job " + jobId + " is not running here")));
    }
}
