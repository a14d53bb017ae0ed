package org.wikimedia.spiderpig.job;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.runner.JobProcess;
import reactor.core.publisher.Mono;

/**
 * One running job: its subprocess (once started), whether someone asked to cancel it, and the latest
 * status and progress not yet written to the job's record.
 */
final class JobExecution {

    private final Job job;
    private final AtomicReference<JobProcess> process = new AtomicReference<>();
    /** Null until someone asks to cancel; then the recording of that cancel, so both are set at once. */
    private final AtomicReference<Mono<Void>> cancel = new AtomicReference<>();
    // Empty Optional: the command cleared its status; null: nothing new to save.
    private final AtomicReference<Optional<String>> unsavedStatus = new AtomicReference<>();
    private final AtomicReference<Progress> unsavedProgress = new AtomicReference<>();

    /**
     * The log takes appends in call order and writes them in batches; waiting for each write would
     * limit a job to one line per thread hop. So output is appended without waiting, except for every
     * {@value #AWAIT_EVERY}th line, which keeps the backlog (and memory) bounded and lets the log slow
     * the subprocess down. Writes complete in order, so waiting for the last one waits for all.
     */
    static final int AWAIT_EVERY = 256;

    private volatile Mono<?> lastAppend = Mono.empty();
    private volatile long appendsSinceWait;

    JobExecution(Job job) {
        this.job = job;
    }

    Job job() {
        return job;
    }

    /** Attaches the started subprocess; a cancel that came while it was starting reaches it now. */
    void attach(JobProcess started) {
        process.set(started);
        if (cancelRequested()) {
            cancelRecorded().onErrorResume(recordingFailed -> Mono.empty())
                    .then(Mono.defer(started::cancel)).subscribe();
        }
    }

    /**
     * Asks to cancel; true only for the first request. {@code record} (the cancel's own events: who asked,
     * its prompts closed) runs first and the subprocess is signalled after it, so that the job's end,
     * which waits for {@link #cancelRecorded()}, never closes its log under those events.
     */
    boolean requestCancel(Mono<Void> record) {
        Mono<Void> recorded = record.doFinally(signal -> {
            JobProcess current = process.get();
            if (current != null) {
                current.cancel().subscribe();
            }
        }).cache();
        if (!cancel.compareAndSet(null, recorded)) {
            return false;
        }
        // A failure reaches whoever asked, through cancelRecorded(); here it only must not go unhandled.
        recorded.subscribe(null, recordingFailed -> {
        });
        return true;
    }

    boolean cancelRequested() {
        return cancel.get() != null;
    }

    /** Completes once a requested cancel's events are recorded (at once if none was requested). */
    Mono<Void> cancelRecorded() {
        Mono<Void> recorded = cancel.get();
        return recorded == null ? Mono.empty() : recorded;
    }

    Mono<Void> answer(String line) {
        JobProcess current = process.get();
        return current == null
                ? Mono.error(new IllegalStateException("job " + job.id() + " has no running process"))
                : current.answer(line);
    }

    /** Whether the subprocess has started (and so can be signalled). */
    boolean started() {
        return process.get() != null;
    }

    /** Signals the subprocess's group now; false when it has not started yet or is already gone. */
    Mono<Boolean> signal(JobSignal signal) {
        JobProcess current = process.get();
        return current == null ? Mono.just(false) : current.signal(signal.unixName());
    }

    /** Tracks an append of output already queued in the log; completes at once, or when the log caught up. */
    Mono<Void> appended(Mono<?> append) {
        lastAppend = append;
        if (++appendsSinceWait < AWAIT_EVERY) {
            return Mono.empty();
        }
        appendsSinceWait = 0;
        return append.then();
    }

    /** Completes once every output appended so far is written: before a prompt, and before the end. */
    Mono<Void> allAppended() {
        appendsSinceWait = 0;
        return lastAppend.then();
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
