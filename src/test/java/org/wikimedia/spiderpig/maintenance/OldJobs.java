package org.wikimedia.spiderpig.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
import org.wikimedia.spiderpig.store.JobStore;

/** Finished jobs with logs and prompts, as an earlier day left them, written straight to the stores. */
final class OldJobs {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final JobStore jobs;
    private final InteractionStore interactions;
    private final JobEventLogs logs;

    OldJobs(JobStore jobs, InteractionStore interactions, JobEventLogs logs) {
        this.jobs = jobs;
        this.interactions = interactions;
        this.logs = logs;
    }

    /** A job that succeeded at {@code finishedAt}, having printed {@code lines} lines and answered one prompt. */
    long finished(Instant finishedAt, int lines) {
        Instant created = finishedAt.minusSeconds(120);
        long id = jobs.create(new NewJob("backport", Map.of("changeIds", List.of("12345")), "Backport 12345",
                "alice", "retention-test", created)).block(WAIT).id();
        jobs.markStarted(id, created.plusSeconds(1)).block(WAIT);
        long prompt = interactions.open(id, "choices", "Continue?", Map.of("Yes", "y"), "y", created.plusSeconds(2))
                .block(WAIT).id();
        interactions.answer(prompt, "y", "alice", created.plusSeconds(3)).block(WAIT);
        JobEventLog log = logs.forJob(id);
        for (int line = 1; line <= lines; line++) {
            log.append(OutputLine.unnumbered(OutputLine.Stream.STDOUT, "job " + id + " line " + line, false)).block(WAIT);
        }
        log.append(new JobEnded(JobState.SUCCEEDED, 0)).block(WAIT);
        jobs.finish(id, JobState.SUCCEEDED, 0, finishedAt, null).block(WAIT);
        return id;
    }

    /** Removes every finished job, so that each test counts only its own. */
    void clear() {
        jobs.finishedBeyondNewest(0)
                .concatMap(job -> jobs.deleteIfFinished(job.id()).then(logs.delete(job.id())))
                .then()
                .block(WAIT);
    }
}
