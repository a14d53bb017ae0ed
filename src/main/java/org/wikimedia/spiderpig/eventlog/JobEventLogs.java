package org.wikimedia.spiderpig.eventlog;

import reactor.core.publisher.Mono;

/** Where jobs' event logs live (files under {@code spiderpig.data-dir}). */
public interface JobEventLogs {

    /**
     * The log of a job, created empty on first use, reopened (and repaired after a crash) otherwise. No
     * I/O happens here: the files are read on first use.
     */
    JobEventLog forJob(long jobId);

    /** {@link #forJob}, once its files were read off the caller's thread, so its lastSeq()/lineCount() are free. */
    Mono<JobEventLog> open(long jobId);

    /** Removes a job's log for retention cleanup. */
    Mono<Void> delete(long jobId);
}
