package org.wikimedia.spiderpig.store.r2dbc;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.store.StoreUnavailable;

/**
 * A job's log in PostgreSQL that waits out an outage of the database ({@link OutageRetry}) rather than failing
 * the job's appends at the first lost connection. Meanwhile the job's output waits in its supervisor's spool
 * on disk (the log takes no more than its backlog before the job's reader waits), so no line is lost while the
 * outage is shorter than {@code spiderpig.database.outage-retry}. A write tried again first cuts the log back
 * to where it was: the failed attempt may have been committed without its answer arriving. A write that gives up
 * (a longer outage) fails with {@link StoreUnavailable} and is not cut back, so the log breaks and takes no more
 * writes: its job is let go of until the database answers and re-attached then with a log read anew, which reads
 * the spool on from the last mark stored (see JobExecutor).
 */
final class OutageTolerantLogStorage implements LogStorage {

    private final LogStorage storage;
    private final OutageRetry retry;
    private final String name;
    /** Set once a write gave up: what follows it in the log's queue must not be written after a hole. */
    private volatile boolean gaveUp;

    OutageTolerantLogStorage(long jobId, LogStorage storage, OutageRetry retry) {
        this.storage = storage;
        this.retry = retry;
        this.name = "job " + jobId + " event log";
    }

    @Override
    public LogTip recover() throws IOException {
        return retry.await(name, storage::recover);
    }

    @Override
    public LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] spoolMarks) throws IOException {
        boolean[] tried = new boolean[1];
        try {
            return retry.await(name, () -> {
                if (tried[0]) {
                    storage.cutTo(tip);
                }
                tried[0] = true;
                return storage.write(events, tip, spoolMarks);
            });
        } catch (IOException | RuntimeException failure) {
            if (!OutageRetry.isOutage(failure)) {
                throw failure;
            }
            gaveUp = true;
            throw new StoreUnavailable("the database did not take job events for " + retry.patience(), failure);
        }
    }

    @Override
    public List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) throws IOException {
        return retry.await(name, () -> storage.read(from, to, tip, maxBytes));
    }

    @Override
    public long[] lineSeqs(long from, long to) throws IOException {
        return retry.await(name, () -> storage.lineSeqs(from, to));
    }

    @Override
    public void cutTo(LogTip tip) throws IOException {
        if (gaveUp) {
            // The log breaks, so that no later write leaves a hole: the job is re-attached with a new one.
            throw new IOException(name + ": not cut back after a write that gave up on the database");
        }
        retry.await(name, () -> {
            storage.cutTo(tip);
            return tip;
        });
    }

    @Override
    public Optional<SpoolMark> lastMark(long lastSeq) throws IOException {
        return retry.await(name, () -> storage.lastMark(lastSeq));
    }

    @Override
    public void delete() throws IOException {
        retry.await(name, () -> {
            storage.delete();
            return name;
        });
    }
}
