package org.wikimedia.spiderpig.job;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.wikimedia.spiderpig.event.Progress;
import org.wikimedia.spiderpig.runner.JobProcess;
import reactor.core.publisher.Mono;

/**
 * One running job: its subprocess (once started), whether someone asked to cancel it, and the latest
 * status and progress not yet written to the job's record.
 */
final class JobExecution {

    private final Job job;
    private final AtomicReference<JobProcess> process = new AtomicReference<>();
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    // Empty Optional: the command cleared its status; null: nothing new to save.
    private final AtomicReference<Optional<String>> unsavedStatus = new AtomicReference<>();
    private final AtomicReference<Progress> unsavedProgress = new AtomicReference<>();

    JobExecution(Job job) {
        this.job = job;
    }

    Job job() {
        return job;
    }

    /** Attaches the started subprocess; a cancel that came while it was starting reaches it now. */
    void attach(JobProcess started) {
        process.set(started);
        if (cancelRequested.get()) {
            started.cancel().subscribe();
        }
    }

    /** True only for the first request. */
    boolean requestCancel() {
        boolean first = cancelRequested.compareAndSet(false, true);
        JobProcess current = process.get();
        if (first && current != null) {
            current.cancel().subscribe();
        }
        return first;
    }

    boolean cancelRequested() {
        return cancelRequested.get();
    }

    Mono<Void> answer(String line) {
        JobProcess current = process.get();
        return current == null
                ? Mono.error(new IllegalStateException("job " + job.id() + " has no running process"))
                : current.answer(line);
    }

    void noteStatus(String status) {
        unsavedStatus.set(Optional.ofNullable(status));
    }

    void noteProgress(Progress progress) {
        unsavedProgress.set(progress);
    }

    Optional<String> takeStatus() {
        return unsavedStatus.getAndSet(null);
    }

    Progress takeProgress() {
        return unsavedProgress.getAndSet(null);
    }
}
