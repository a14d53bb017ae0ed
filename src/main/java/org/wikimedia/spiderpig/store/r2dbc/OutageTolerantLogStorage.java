package org.wikimedia.spiderpig.store.r2dbc;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * A job's log in PostgreSQL that waits out an outage of the database ({@link OutageRetry}) rather than failing
 * the job's appends at the first lost connection. Meanwhile the job's output waits in its supervisor's spool
 * on disk (the log takes no more than its backlog before the job's reader waits), so no line is lost while the
 * outage is shorter than {@code spiderpig.database.outage-retry}. A write tried again first cuts the log back
 * to where it was: the failed attempt may have been committed without its answer arriving.
 */
final class OutageTolerantLogStorage implements LogStorage {

    private final LogStorage storage;
    private final OutageRetry retry;
    private final String name;

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
        return retry.await(name, () -> {
            if (tried[0]) {
                storage.cutTo(tip);
            }
            tried[0] = true;
            return storage.write(events, tip, spoolMarks);
        });
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
