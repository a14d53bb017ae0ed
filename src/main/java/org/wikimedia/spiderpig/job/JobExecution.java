package org.wikimedia.spiderpig.job;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.wikimedia.spiderpig.eventlog.EventSize;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.Progress;
import org.wikimedia.spiderpig.runner.JobProcess;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One running job: its subprocess (once started), whether someone asked to cancel it, the latest status
 * and progress not yet written to the job's record, and whether its pipeline failed.
 *
 * <p>A failure anywhere in the job's pipeline (a reader of its output, a write of its log) is reported
 * to {@link #fail}, and {@link #failed()} carries it to the job's run apart from the events' own path,
 * which an {@link Error} may have left unable to signal anything.
 */
final class JobExecution {

    private final Job job;
    private final Duration stepTimeout;
    private final long backlogBytes;
    private final Sinks.Empty<Void> failure = Sinks.empty();
    private volatile boolean finishing;
    private volatile boolean detached;
    private volatile boolean awaitingStore;
    private volatile boolean processExited;
    private final AtomicReference<JobProcess> process = new AtomicReference<>();
    /** Null until someone asks to cancel; then the recording of that cancel, so both are set at once. */
    private final AtomicReference<Mono<Void>> cancel = new AtomicReference<>();
    /** What is awaited before each signal a cancel sends (its note in the log); set with {@link #cancel}. */
    private volatile Function<String, Mono<Void>> beforeEachSignal = signal -> Mono.empty();
    // Empty Optional: the command cleared its status; null: nothing new to save.
    private final AtomicReference<Optional<String>> unsavedStatus = new AtomicReference<>();
    private final AtomicReference<Progress> unsavedProgress = new AtomicReference<>();

    /**
     * The log takes appends in call order and writes them in batches; waiting for each write would
     * limit a job to one line per thread hop. So output is appended without waiting, except once
     * {@value #AWAIT_EVERY} events or the backlog's bytes were appended since the last wait, which keeps
     * the backlog (and memory) bounded in bytes and lets the log slow the subprocess down. Writes
     * complete in order, so waiting for the last one waits for all.
     */
    static final int AWAIT_EVERY = 256;

    private volatile Mono<?> lastAppend = Mono.empty();
    private volatile long appendsSinceWait;
    private volatile long bytesSinceWait;

    JobExecution(Job job) {
        this(job, Duration.ofSeconds(10), 1 << 20);
    }

    /**
     * @param stepTimeout  how long recording a cancel may take before the process is signalled anyway, and
     *                     how long after its processes were ended a cancelled job may take to end
     * @param backlogBytes the most bytes of output appended to the log and not yet waited for
     */
    JobExecution(Job job, Duration stepTimeout, long backlogBytes) {
        this.job = job;
        this.stepTimeout = stepTimeout;
        this.backlogBytes = backlogBytes;
    }

    Job job() {
        return job;
    }

    /** The process group of the job's command; null while it is starting. */
    Long pid() {
        JobProcess current = process.get();
        return current == null ? null : current.pid();
    }

    /** Attaches the started subprocess; a cancel that came while it was starting reaches it now. */
    void attach(JobProcess started) {
        process.set(started);
        started.failure().subscribe(null, this::fail);
        if (cancelRequested()) {
            cancelRecorded().onErrorResume(recordingFailed -> Mono.empty())
                    .then(Mono.defer(() -> started.cancel(beforeEachSignal))).subscribe();
        }
    }

    /**
     * Asks to cancel; true only for the first request. {@code record} (the cancel's own events: who asked,
     * its prompts closed) runs first and the subprocess is signalled after it, so that the job's end,
     * which waits for {@link #cancelRecorded()}, never closes its log under those events.
     */
    boolean requestCancel(Mono<Void> record) {
        return requestCancel(record, signal -> Mono.empty());
    }

    /** {@link #requestCancel(Mono)}, awaiting {@code beforeEachSignal} before each signal of the cancel. */
    boolean requestCancel(Mono<Void> record, Function<String, Mono<Void>> beforeEachSignal) {
        if (cancel.get() == null) {
            this.beforeEachSignal = beforeEachSignal;
        }
        // A recording that hangs (a log or database that stopped answering) must not keep the process alive.
        Mono<Void> recorded = record.timeout(stepTimeout).doFinally(signal -> {
            JobProcess current = process.get();
            if (current != null) {
                endAfterCancel(current);
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

    /**
     * Ends the process group, and the job too should its end not begin soon after: a cancel always ends
     * a job, even one whose pipeline can no longer report the exit.
     */
    private void endAfterCancel(JobProcess current) {
        current.cancel(beforeEachSignal.andThen(note -> note.timeout(stepTimeout)))
                .onErrorResume(signalFailed -> Mono.empty())
                .then(Mono.delay(stepTimeout))
                .subscribe(waited -> {
                    if (!finishing) {
                        fail(new JobPipelineFailure("the job did not end within " + stepTimeout
                                + " after its processes were ended on cancel"));
                    }
                });
    }

    /**
     * Reports a failure of the job's pipeline; the first one ends the job (see {@link #failed()}), unless
     * its end has already begun (then whatever failed was already waited for and reported on the way).
     */
    void fail(Throwable cause) {
        if (finishing || detached) {
            return;
        }
        failure.tryEmitError(cause instanceof JobPipelineFailure ? cause
                : new JobPipelineFailure(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause));
    }

    /** Never completes; errors with a {@link JobPipelineFailure} once the job's pipeline failed. */
    Mono<Void> failed() {
        return failure.asMono();
    }

    /** The job's end has begun: a late failure report changes nothing. */
    void finishing() {
        finishing = true;
    }

    /** Ends the job's process group (SIGINT, SIGTERM, SIGKILL); at once when no process was started. */
    Mono<Void> endProcess() {
        JobProcess current = process.get();
        return current == null ? Mono.empty() : current.cancel();
    }

    boolean cancelRequested() {
        return cancel.get() != null;
    }

    /** Completes once a requested cancel's events are recorded (at once if none was requested). */
    Mono<Void> cancelRecorded() {
        Mono<Void> recorded = cancel.get();
        return recorded == null ? Mono.empty() : recorded;
    }

    Mono<Void> answer(long interactionId, String line) {
        JobProcess current = process.get();
        return current == null
                ? Mono.error(new IllegalStateException("job " + job.id() + " has no running process"))
                : current.answer(interactionId, line);
    }

    /**
     * The server is stopping: lets go of the job's process, which runs on (the next server re-attaches), and
     * makes sure nothing of the stop (a log closing under an append) is taken for a failure that would end it.
     */
    void detach() {
        detached = true;
        JobProcess current = process.get();
        if (current != null) {
            current.detach();
        }
    }

    boolean detached() {
        return detached;
    }

    /**
     * The database stayed away past its outage retry: lets go of the process as {@link #detach()} does, to be
     * re-attached once the database answers again.
     */
    void detachUntilStoreAnswers() {
        awaitingStore = true;
        detach();
    }

    boolean awaitingStore() {
        return awaitingStore;
    }

    /** The job's end is recorded: what its process kept for a restart can go. */
    void discardProcess() {
        JobProcess current = process.get();
        if (current != null) {
            current.discard();
        }
    }

    /** Its process's exit was read: what is left is recording it. */
    void exited() {
        processExited = true;
    }

    boolean processExited() {
        return processExited;
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

    /**
     * Tracks an append of {@code bytes} (see {@link EventSize}) already queued in the log; completes at
     * once, or when the log caught up. An append that fails fails the job: its output would be lost.
     */
    Mono<Void> appended(Mono<?> append, long bytes) {
        lastAppend = append;
        append.subscribe(null, writeFailed -> fail(new JobPipelineFailure(
                "the job's event log could not be written (" + writeFailed.getMessage() + ")", writeFailed)));
        bytesSinceWait += bytes;
        if (++appendsSinceWait < AWAIT_EVERY && bytesSinceWait < backlogBytes) {
            return Mono.empty();
        }
        appendsSinceWait = 0;
        bytesSinceWait = 0;
        return append.then();
    }

    /**
     * Completes once every output appended so far is written: before a prompt, and before the end. A log
     * that takes longer than the step timeout is a failure of the pipeline.
     */
    Mono<Void> allAppended() {
        appendsSinceWait = 0;
        bytesSinceWait = 0;
        return lastAppend.then().timeout(stepTimeout, Mono.error(() -> new JobPipelineFailure(
                "the job's event log did not take its output within " + stepTimeout)));
    }

    void noteStatus(String status) {
        // progress not saved yet was the step this status ends: saved after the status, it would come back
        unsavedProgress.set(null);
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
