package org.wikimedia.spiderpig.store.r2dbc.transfer;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;

/**
 * One job's log as the rows of {@link LogCopy#COPY}, in chunks of about {@value #CHUNK_BYTES} bytes: each event
 * read from its file becomes {@code job_id, seq, line (null but for output lines), ts, event}, the event being
 * {@link EventJson#toStorage}'s UTF-8 bytes and the time {@link java.time.Instant#toString}'s, exactly what a
 * server on PostgreSQL binds for them. Blocking (file reads): called on the copy's reader thread.
 */
final class LogRows {

    /** One COPY message: the driver sends one at a time, so big enough to keep the socket busy, small enough to hold. */
    static final int CHUNK_BYTES = 256 << 10;
    static final int BATCH_EVENTS = 10_000;
    static final long BATCH_BYTES = 8L << 20;
    /** A long log reports its progress this often. */
    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private final long jobId;
    private final LogStorage from;
    private final LogTip end;
    private final EventJson json;
    private final PrintStream progress;
    private final CopyText rows = new CopyText(CHUNK_BYTES + (CHUNK_BYTES >> 2));
    private Iterator<JobEvent> batch = Collections.emptyIterator();
    private long read;
    private long reported = System.nanoTime();

    private LogRows(long jobId, LogStorage from, LogTip end, EventJson json, PrintStream progress) {
        this.jobId = jobId;
        this.from = from;
        this.end = end;
        this.json = json;
        this.progress = progress;
    }

    /** The log's rows from its first event to the end that {@link LogStorage#recover} finds. */
    static LogRows open(long jobId, LogStorage from, EventJson json, PrintStream progress) throws IOException {
        return new LogRows(jobId, from, from.recover(), json, progress);
    }

    long jobId() {
        return jobId;
    }

    LogTip end() {
        return end;
    }

    /** The next chunk of rows, or null after the last. */
    ByteBuf next() throws IOException {
        while (rows.size() < CHUNK_BYTES && (batch.hasNext() || read < end.seq())) {
            if (!batch.hasNext()) {
                batch = readBatch().iterator();
            }
            row(batch.next());
        }
        if (rows.size() == 0) {
            return null;
        }
        if (System.nanoTime() - reported > PROGRESS_NANOS) {
            reported = System.nanoTime();
            progress.printf("  job %d: %,d of %,d events%n", jobId, read, end.seq());
        }
        return rows.take();
    }

    private List<JobEvent> readBatch() throws IOException {
        List<JobEvent> events = from.read(read + 1, Math.min(end.seq(), read + BATCH_EVENTS), end, BATCH_BYTES);
        if (events.isEmpty()) {
            throw new IOException("job " + jobId + ": its log file has no event " + (read + 1) + ", though it ends at "
                    + end.seq());
        }
        read = events.get(events.size() - 1).seq();
        return events;
    }

    private void row(JobEvent event) {
        rows.field(jobId).field(event.seq());
        if (event.payload() instanceof OutputLine line) {
            rows.field(line.line());
        } else {
            rows.nullField();
        }
        rows.ascii(event.ts().toString()).field(json.toStorage(event)).endRow();
    }
}
