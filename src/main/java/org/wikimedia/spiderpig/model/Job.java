package org.wikimedia.spiderpig.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.model.Progress;

/**
 * A job as stored: what was asked (command = job type, parameters), by whom, and how far it got.
 * {@code pid} is the process group of its subprocess and {@code ioKey} the secret it was started with,
 * kept so that a restarted server can end a group its predecessor left behind, and only that group.
 * {@code retryOf} is the job this one runs again; {@code changes} what Gerrit said about its changes when
 * it was created (empty for jobs without changes).
 */
public record Job(
        long id,
        String command,
        Map<String, List<String>> parameters,
        String description,
        String owner,
        String concurrencyGroup,
        JobState state,
        String status,
        Progress progress,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Integer exitCode,
        String cancelledBy,
        String reason,
        Long pid,
        String ioKey,
        Long retryOf,
        List<ChangeDetails> changes) {

    /** The job with the io key its process was started with (its record may not have it yet). */
    public Job withIoKey(String newIoKey) {
        return new Job(id, command, parameters, description, owner, concurrencyGroup, state, status, progress,
                createdAt, startedAt, finishedAt, exitCode, cancelledBy, reason, pid, newIoKey, retryOf, changes);
    }

    public Job withStatus(String newStatus) {
        return new Job(id, command, parameters, description, owner, concurrencyGroup, state, newStatus, progress,
                createdAt, startedAt, finishedAt, exitCode, cancelledBy, reason, pid, ioKey, retryOf, changes);
    }
}
