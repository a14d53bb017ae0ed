package org.wikimedia.spiderpig.eventlog;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Jobs' event logs in a database that several servers share (see {@link LogDatabase}): each log is a
 * {@link StoredJobEventLog} (ring, batched writer, followers) over the job's rows. A job's log is written by the
 * server that runs the job, and an answer's events by the server that took it (a batch that finds its seqs taken
 * is numbered after the other's rows); on every other server its followers are woken by the database's notices
 * and read the new rows. A lost notice costs latency, not events: after the notices resume, every cached log that has not
 * ended rereads its stored end.
 */
public final class SharedJobEventLogs implements JobEventLogs, AutoCloseable {

    /** Name of the scheduler that waits for the database on behalf of the logs. */
    public static final String IO_SCHEDULER_NAME = "event-log-db";
    /** Name of the scheduler on which followers behind a log's ring read the database. */
    public static final String READ_SCHEDULER_NAME = "event-log-db-read";

    private final LogDatabase database;
    private final Scheduler io;
    private final Scheduler reads;
    private final boolean ownsIo;
    private final LogCache logs;
    private final Disposable notices;

    /**
     * @param io runs every blocking call to the database; bounded, named {@value #IO_SCHEDULER_NAME}
     * @param delivery where woken followers continue (never blocked on by the log)
     * @param clock gives events their {@code ts}
     */
    public SharedJobEventLogs(LogDatabase database, Scheduler io, Scheduler delivery, Clock clock,
            EventLogSettings settings) {
        this(database, io, io, delivery, clock, settings, false);
    }

    /**
     * Production defaults: its own {@value #IO_SCHEDULER_NAME} scheduler, a thread per connection, and its own
     * {@value #READ_SCHEDULER_NAME} scheduler of half as many threads (disposed by {@link #close()}): followers
     * that fell behind the rings (many viewers on a slow machine) then hold at most half the connections, and the
     * jobs' writes, which every follower waits for, still find one.
     */
    public SharedJobEventLogs(LogDatabase database, EventLogSettings settings, int connections) {
        this(database, Schedulers.newBoundedElastic(Math.max(2, connections), 100_000, IO_SCHEDULER_NAME),
                Schedulers.newBoundedElastic(Math.max(1, connections / 2), 100_000, READ_SCHEDULER_NAME),
                Schedulers.parallel(), Clock.systemUTC(), settings, true);
    }

    private SharedJobEventLogs(LogDatabase database, Scheduler io, Scheduler reads, Scheduler delivery, Clock clock,
            EventLogSettings settings, boolean ownsIo) {
        this.database = database;
        this.io = io;
        this.reads = reads;
        this.ownsIo = ownsIo;
        this.logs = new LogCache(settings.cachedLogs(), jobId -> new StoredJobEventLog(jobId,
                database.storage(jobId), io, reads, delivery, clock, settings));
        this.notices = database.listen(new LogDatabase.NoticeListener() {
            @Override
            public void stored(long jobId, LogTip tip) {
                StoredJobEventLog log = logs.cached(jobId);
                if (log != null) {
                    log.advanceTo(tip);
                }
            }

            @Override
            public void resumed() {
                for (StoredJobEventLog log : logs.all()) {
                    if (!log.ended()) {
                        log.refresh();
                    }
                }
            }
        });
    }

    /**
     * A log that broke (a write that gave up while the database was away, see {@code OutageTolerantLogStorage}) is
     * read anew from the database, whose rows are what counts: its job is re-attached with it.
     */
    @Override
    public JobEventLog forJob(long jobId) {
        return logs.unbrokenForJob(jobId);
    }

    @Override
    public Mono<JobEventLog> open(long jobId) {
        StoredJobEventLog log = logs.unbrokenForJob(jobId);
        return log.load().thenReturn(log);
    }

    @Override
    public Mono<Void> delete(long jobId) {
        return Mono.defer(() -> {
            logs.remove(jobId);
            return database.delete(jobId);
        });
    }

    @Override
    public Mono<Map<Long, Long>> sizesOnDisk() {
        return database.sizes();
    }

    /** Not here: the database's own backups (pg_dump, replication) hold the logs together with the jobs. */
    @Override
    public Mono<Long> copyTo(long jobId, Path directory) {
        return Mono.error(new UnsupportedOperationException("job event logs are in PostgreSQL: back them up with"
                + " the database (pg_dump), not through SpiderPig"));
    }

    @Override
    public void close() {
        notices.dispose();
        if (ownsIo) {
            io.dispose();
            reads.dispose();
        }
    }
}
