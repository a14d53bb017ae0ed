package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Mono;

/**
 * One job's events as rows of {@code job_events} (see V7__job_events.sql). Blocking, as {@link LogStorage} is:
 * the log calls it on its own bounded scheduler ({@code event-log-db}), never on a request's thread. A batch is
 * one statement that inserts its rows and notifies the other servers, atomically: the notice is delivered when
 * the rows are committed, so whoever it wakes finds them. Like the file log, which forces its files only when the
 * job ends, a batch's commit waits for the disk only when it holds the end ({@code synchronous_commit} off for
 * that one transaction otherwise): a crash of PostgreSQL itself may lose the last fraction of a second of a
 * running job's events, a crash of SpiderPig loses nothing that was committed.
 */
final class PostgresLogStorage implements LogStorage {

    static final String CHANNEL = "spiderpig_job_events";

    private static final String INSERT = """
            WITH durability AS (SELECT set_config('synchronous_commit', $12, true)),
            stored AS (
                INSERT INTO job_events (job_id, seq, line, ts, event, mark_frame, mark_stdout, mark_stderr,
                                        mark_stdout_swallow, mark_stderr_swallow, mark_stdout_skip, mark_stderr_skip)
                SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::text[], $6::bigint[],
                                         $7::bigint[], $8::bigint[], $9::boolean[], $10::boolean[], $13::bigint[],
                                         $14::bigint[])
            )
            SELECT pg_notify('""" + CHANNEL + "', $11) FROM durability";

    private final long jobId;
    private final DatabaseClient db;
    private final EventJson json;
    private final Duration timeout;

    PostgresLogStorage(long jobId, DatabaseClient db, EventJson json, Duration timeout) {
        this.jobId = jobId;
        this.db = db;
        this.json = json;
        this.timeout = timeout;
    }

    @Override
    public LogTip recover() {
        return await(db.sql("""
                        SELECT event, (SELECT MAX(line) FROM job_events WHERE job_id = $1) AS lines
                        FROM job_events WHERE job_id = $1 ORDER BY seq DESC LIMIT 1""")
                .bind(0, jobId)
                .map(row -> {
                    JobEvent last = parse(row);
                    Long lines = row.get("lines", Long.class);
                    return new LogTip(last.seq(), lines == null ? 0 : lines, 0, last.ts(),
                            last.payload() instanceof JobEnded);
                })
                .one()
                .defaultIfEmpty(LogTip.EMPTY));
    }

    @Override
    public LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] spoolMarks) throws LogStorage.Overtaken {
        int size = events.size();
        Long[] seqs = new Long[size];
        Long[] lines = new Long[size];
        String[] times = new String[size];
        String[] records = new String[size];
        Long[] frames = new Long[size];
        Long[] stdouts = new Long[size];
        Long[] stderrs = new Long[size];
        Boolean[] stdoutSwallows = new Boolean[size];
        Boolean[] stderrSwallows = new Boolean[size];
        Long[] stdoutSkips = new Long[size];
        Long[] stderrSkips = new Long[size];
        long lineCount = tip.lineCount();
        boolean ended = tip.ended();
        for (int i = 0; i < size; i++) {
            JobEvent event = events.get(i);
            seqs[i] = event.seq();
            if (event.payload() instanceof OutputLine line) {
                lines[i] = line.line();
                lineCount = line.line();
            }
            ended |= event.payload() instanceof JobEnded;
            times[i] = event.ts().toString();
            records[i] = new String(json.toStorage(event), StandardCharsets.UTF_8);
            SpoolMark mark = spoolMarks == null ? null : spoolMarks[i];
            if (mark != null) {
                frames[i] = mark.frame();
                stdouts[i] = mark.stdout();
                stderrs[i] = mark.stderr();
                stdoutSwallows[i] = mark.stdoutSwallow();
                stderrSwallows[i] = mark.stderrSwallow();
                stdoutSkips[i] = mark.stdoutSkip();
                stderrSkips[i] = mark.stderrSkip();
            }
        }
        JobEvent last = events.get(size - 1);
        LogTip next = new LogTip(last.seq(), lineCount, 0, last.ts(), ended);
        try {
            await(db.sql(INSERT)
                    .bind(0, jobId).bind(1, seqs).bind(2, lines).bind(3, times).bind(4, records)
                    .bind(5, frames).bind(6, stdouts).bind(7, stderrs).bind(8, stdoutSwallows).bind(9, stderrSwallows)
                    .bind(10, LogNotice.of(jobId, next))
                    // As the file log forces its files only at the end: the end's commit waits for the disk (and a
                    // synchronous standby), the commits before it do not (PostgreSQL flushes them within a moment).
                    .bind(11, ended ? "on" : "off")
                    .bind(12, stdoutSkips).bind(13, stderrSkips)
                    .fetch().rowsUpdated());
        } catch (DuplicateKeyException taken) {
            throw new LogStorage.Overtaken("job " + jobId + ": events from seq " + seqs[0]
                    + " on were stored by another server first", taken);
        }
        return next;
    }

    @Override
    public List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) {
        return events(db.sql("SELECT event FROM job_events WHERE job_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq")
                .bind(0, jobId).bind(1, from).bind(2, to), maxBytes);
    }

    /** One round trip: the first and last line's seqs from the line index, the events between from the key. */
    @Override
    public List<JobEvent> readLines(long from, long to, LogTip tip, long maxBytes) {
        return events(db.sql("""
                        SELECT event FROM job_events WHERE job_id = $1 AND seq BETWEEN
                            (SELECT seq FROM job_events WHERE job_id = $1 AND line = $2)
                            AND (SELECT seq FROM job_events WHERE job_id = $1 AND line = $3)
                        ORDER BY seq""")
                .bind(0, jobId).bind(1, from).bind(2, to), maxBytes);
    }

    /** The events a query gives, the first and then no more than {@code maxBytes} allows. */
    private List<JobEvent> events(DatabaseClient.GenericExecuteSpec query, long maxBytes) {
        AtomicLong bytes = new AtomicLong();
        return await(query
                .map(row -> row.get("event", String.class))
                .all()
                // The first, then no more than the budget allows (the rows after are not fetched).
                .takeWhile(record -> {
                    long total = bytes.addAndGet(record.length());
                    return total == record.length() || total <= maxBytes;
                })
                .map(record -> json.fromStorage(jobId, record.getBytes(StandardCharsets.UTF_8)))
                .collectList());
    }

    @Override
    public long[] lineSeqs(long from, long to) {
        List<Long> seqs = await(db.sql("SELECT seq FROM job_events WHERE job_id = $1 AND line BETWEEN $2 AND $3"
                        + " ORDER BY line")
                .bind(0, jobId).bind(1, from).bind(2, to)
                .map(row -> row.get(0, Long.class))
                .all()
                .collectList());
        return seqs.stream().mapToLong(Long::longValue).toArray();
    }

    /** Deletes rows past {@code tip}: a write whose commit was not confirmed may still have stored them. */
    @Override
    public void cutTo(LogTip tip) {
        await(db.sql("DELETE FROM job_events WHERE job_id = $1 AND seq > $2")
                .bind(0, jobId).bind(1, tip.seq()).fetch().rowsUpdated());
    }

    @Override
    public Optional<SpoolMark> lastMark(long lastSeq) {
        return Optional.ofNullable(await(db.sql("""
                        SELECT mark_frame, mark_stdout, mark_stderr, mark_stdout_swallow, mark_stderr_swallow,
                               mark_stdout_skip, mark_stderr_skip
                        FROM job_events WHERE job_id = $1 AND seq <= $2 AND mark_frame IS NOT NULL
                        ORDER BY seq DESC LIMIT 1""")
                .bind(0, jobId).bind(1, lastSeq)
                .map(row -> new SpoolMark(row.get(0, Long.class), row.get(1, Long.class), row.get(2, Long.class),
                        row.get(3, Boolean.class), row.get(4, Boolean.class), row.get(5, Long.class),
                        row.get(6, Long.class)))
                .one()));
    }

    @Override
    public void delete() {
        await(db.sql("DELETE FROM job_events WHERE job_id = $1").bind(0, jobId).fetch().rowsUpdated());
    }

    private JobEvent parse(Readable row) {
        return json.fromStorage(jobId, row.get("event", String.class).getBytes(StandardCharsets.UTF_8));
    }

    private <T> T await(Mono<T> call) {
        return call.block(timeout);
    }
}
