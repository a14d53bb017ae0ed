package org.wikimedia.spiderpig.store.r2dbc.transfer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.wikimedia.spiderpig.eventlog.FileJobEventLogs;
import org.wikimedia.spiderpig.eventlog.LogDatabase;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.json.EventJson;

/**
 * Jobs' event logs from their files ({@code <data-dir>/logs}) into PostgreSQL's {@code job_events}, through the
 * same two storages the server writes them with, so that every event keeps its seq, line number and time, and is
 * stored exactly as a server on PostgreSQL would have stored it. Events go in batches of many thousands (one
 * statement each): a 100,000-line log is a few dozen statements. Spool marks are not copied: only a running job's
 * re-attach needs them, and no job runs while the directory moves.
 */
final class LogCopy {

    static final int BATCH_EVENTS = 10_000;
    static final long BATCH_BYTES = 8L << 20;
    /** A long log reports its progress this often. */
    private static final long PROGRESS_NANOS = 2_000_000_000L;

    /** What was copied: logs (jobs that had events), events, and the bytes of their event files. */
    record Totals(long logs, long events, long bytes) {
    }

    private final Path directory;
    private final LogDatabase target;
    private final EventJson json;
    private final PrintStream progress;

    LogCopy(Path directory, LogDatabase target, EventJson json, PrintStream progress) {
        this.directory = directory;
        this.target = target;
        this.json = json;
        this.progress = progress;
    }

    Totals copy(List<Long> jobIds) throws IOException {
        long logs = 0;
        long events = 0;
        long bytes = 0;
        for (long jobId : jobIds) {
            LogStorage from = FileJobEventLogs.storage(directory, jobId, json);
            LogTip end = from.recover();
            if (end.seq() == 0) {
                continue;
            }
            copyLog(jobId, from, end);
            logs++;
            events += end.seq();
            bytes += end.dataEnd();
            progress.printf("  job %d: %,d events (%,d lines), %s%n", jobId, end.seq(), end.lineCount(),
                    MoveSummary.size(end.dataEnd()));
        }
        return new Totals(logs, events, bytes);
    }

    private void copyLog(long jobId, LogStorage from, LogTip end) throws IOException {
        LogStorage to = target.storage(jobId);
        LogTip written = LogTip.EMPTY;
        long reported = System.nanoTime();
        while (written.seq() < end.seq()) {
            List<JobEvent> batch = from.read(written.seq() + 1, Math.min(end.seq(), written.seq() + BATCH_EVENTS), end,
                    BATCH_BYTES);
            written = to.write(batch, written);
            if (System.nanoTime() - reported > PROGRESS_NANOS) {
                reported = System.nanoTime();
                progress.printf("  job %d: %,d of %,d events%n", jobId, written.seq(), end.seq());
            }
        }
    }
}
