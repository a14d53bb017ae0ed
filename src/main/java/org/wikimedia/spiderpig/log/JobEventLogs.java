package org.wikimedia.spiderpig.log;

import reactor.core.publisher.Mono;

/** Where jobs' event logs live (files under {@code spiderpig.data-dir}). */
public interface JobEventLogs {

    /** The log of a job, created empty on first use, reopened (and repaired after a crash) otherwise. */
    JobEventLog forJob(long jobId);

    /** The log with its files read (and repaired) off the caller's thread: what request paths use. */
    Mono<JobEventLog> open(long jobId);

    /** Removes a job's log for retention cleanup. */
    Mono<Void> delete(long jobId);
}
