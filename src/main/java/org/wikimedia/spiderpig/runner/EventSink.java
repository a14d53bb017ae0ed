package org.wikimedia.spiderpig.runner;

/** Where a job's reader threads and prompt timer deliver events. */
interface EventSink {

    /** Waits for demand, then emits. Answers false when nobody listens any more. */
    boolean emit(RunnerEvent event) throws InterruptedException;

    /** Emits at once, even beyond demand (only for the few events of a timer, which must not wait). */
    boolean emitWithoutWaiting(RunnerEvent event);

    /**
     * The reader of {@code stream} (or its prompt timer) failed, an {@link Error} included: it emits
     * nothing more, and the job must be ended rather than wait for output that will never come.
     */
    void fail(org.wikimedia.spiderpig.model.OutputLine.Stream stream, Throwable error);
}
