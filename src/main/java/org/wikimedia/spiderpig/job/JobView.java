package org.wikimedia.spiderpig.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.model.ChangeDetails;
import org.wikimedia.spiderpig.model.Interaction;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.Progress;

/**
 * A job as the API shows it (docs/api.md). {@code lastSeq} and {@code lineCount} are filled for a single
 * job and for live changes, null in lists.
 */
public record JobView(
        long id,
        String command,
        Map<String, List<String>> parameters,
        String description,
        String owner,
        String concurrencyGroup,
        String state,
        String status,
        Progress progress,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String cancelledBy,
        String reason,
        Interaction pendingInteraction,
        Long lastSeq,
        Long lineCount,
        Long retryOf,
        List<ChangeDetails> changes) {

    public static JobView of(Job job, Interaction pending, Long lastSeq, Long lineCount) {
        return new JobView(job.id(), job.command(), job.parameters(), job.description(), job.owner(),
                job.concurrencyGroup(), job.state().wireName(), job.status(), job.progress(), job.createdAt(),
                job.startedAt(), job.finishedAt(), job.exitCode(), job.cancelledBy(), job.reason(), pending,
                lastSeq, lineCount, job.retryOf(), job.changes());
    }
}
