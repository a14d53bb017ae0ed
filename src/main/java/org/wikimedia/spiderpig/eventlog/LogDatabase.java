package org.wikimedia.spiderpig.eventlog;

import java.util.Map;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Jobs' event logs in a database that several servers share (PostgreSQL): each job's events are rows, and a
 * server that stores events tells the others, so that their followers of that job read the new rows at once.
 */
public interface LogDatabase {

    /** Where the job's events are stored (no I/O until used). */
    LogStorage storage(long jobId);

    /** Removes a job's events. */
    Mono<Void> delete(long jobId);

    /** Bytes that each job's events take in the database, by job id. */
    Mono<Map<Long, Long>> sizes();

    /**
     * Tells {@code listener} of the events that any server (this one included) stores, until disposed. When
     * notices may have been missed (at the start, and after the connection that receives them was lost and made
     * again), {@link NoticeListener#resumed()} says so.
     */
    Disposable listen(NoticeListener listener);

    /** Receives the database's notices of stored events; called on one thread at a time, must not block. */
    interface NoticeListener {

        /** The job's events are stored up to {@code tip} (its seq, line count and whether it ended). */
        void stored(long jobId, LogTip tip);

        /** Notices may have been missed: what is stored must be read again. */
        void resumed();
    }
}
