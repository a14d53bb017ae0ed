package org.wikimedia.spiderpig.eventlog;

import java.nio.file.Path;
import java.util.Map;
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

    /** Bytes on disk of every job's log, by job id. */
    Mono<Map<Long, Long>> sizesOnDisk();

    /**
     * Copies a job's log, as far as it is written, into {@code directory} (for a backup); the bytes copied. A copy
     * of a running job's log may end in a torn record, which opening it repairs.
     */
    Mono<Long> copyTo(long jobId, Path directory);
}
