package org.wikimedia.spiderpig.store.r2dbc.transfer;

import io.netty.buffer.ByteBuf;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Wrapped;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.wikimedia.spiderpig.eventlog.FileJobEventLogs;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Jobs' event logs from their files ({@code <data-dir>/logs}) into PostgreSQL's {@code job_events}, one
 * {@code COPY … FROM STDIN} per job on the move's connection (so in its transaction): every event keeps its seq,
 * line number and time, and its record is the same stored form a server on PostgreSQL writes (see
 * {@link LogRows}). COPY, because a statement per batch of rows had PostgreSQL parse every value as a bound array
 * element, which was nearly all of a move's time. The files are read on a thread of their own
 * ({@value #READER_THREAD}), never on the driver's, which asks for the next chunk as the last one is sent. Spool
 * marks are not copied: only a running job's re-attach needs them, and no job runs while the directory moves.
 */
final class LogCopy {

    static final String COPY = "COPY job_events (job_id, seq, line, ts, event) FROM STDIN";
    static final String READER_THREAD = "move-log-read";

    /** What was copied: logs (jobs that had events), events, and the bytes of their event files. */
    record Totals(long logs, long events, long bytes) {

        static final Totals NONE = new Totals(0, 0, 0);

        Totals plus(Totals other) {
            return new Totals(logs + other.logs, events + other.events, bytes + other.bytes);
        }
    }

    private final Path directory;
    private final EventJson json;
    private final PrintStream progress;

    LogCopy(Path directory, EventJson json, PrintStream progress) {
        this.directory = directory;
        this.json = json;
        this.progress = progress;
    }

    Mono<Totals> copy(Connection connection, List<Long> jobIds) {
        PostgresqlConnection postgres = postgresql(connection);
        return Mono.usingWhen(Mono.fromSupplier(() -> Schedulers.newSingle(READER_THREAD, true)),
                files -> Flux.fromIterable(jobIds)
                        .concatMap(jobId -> Mono.fromCallable(() -> LogRows.open(jobId, logOf(jobId), json, progress))
                                .subscribeOn(files)
                                .filter(rows -> rows.end().seq() > 0)
                                .flatMap(rows -> copyLog(postgres, rows, files)))
                        .reduce(Totals.NONE, Totals::plus),
                files -> Mono.fromRunnable(files::dispose));
    }

    private LogStorage logOf(long jobId) {
        return FileJobEventLogs.storage(directory, jobId, json);
    }

    private Mono<Totals> copyLog(PostgresqlConnection postgres, LogRows rows, Scheduler files) {
        // COPY reports a failure of its input as its own ("Copy operation failed: …"): the reader's is the cause.
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        Flux<ByteBuf> chunks = Flux.<ByteBuf>generate(sink -> {
                    try {
                        ByteBuf chunk = rows.next();
                        if (chunk == null) {
                            sink.complete();
                        } else {
                            sink.next(chunk);
                        }
                    } catch (IOException | RuntimeException failed) {
                        RuntimeException error = failed instanceof IOException io
                                ? new UncheckedIOException(io) : (RuntimeException) failed;
                        readFailure.set(error);
                        sink.error(error);
                    }
                })
                .subscribeOn(files);
        LogTip end = rows.end();
        // A CopyData message per chunk: copyIn(sql, chunks) would gather the whole log into one message (of 1 GiB
        // at most), adding chunk to chunk, which took minutes for a million lines.
        return postgres.copyIn(COPY).fromMany(chunks.map(Mono::just)).build()
                .onErrorMap(copyFailed -> readFailure.get() == null ? copyFailed : readFailure.get())
                .map(stored -> {
                    if (stored != end.seq()) {
                        throw new IllegalStateException("job " + rows.jobId() + ": PostgreSQL stored " + stored
                                + " of its " + end.seq() + " events");
                    }
                    progress.printf("  job %d: %,d events (%,d lines), %s%n", rows.jobId(), end.seq(),
                            end.lineCount(), MoveSummary.size(end.dataEnd()));
                    return new Totals(1, end.seq(), end.dataEnd());
                });
    }

    /** The driver's own connection under a pool's: COPY is PostgreSQL's, not R2DBC's. */
    static PostgresqlConnection postgresql(Connection connection) {
        Object inner = connection;
        while (!(inner instanceof PostgresqlConnection) && inner instanceof Wrapped<?> wrapped) {
            inner = wrapped.unwrap();
        }
        if (inner instanceof PostgresqlConnection postgres) {
            return postgres;
        }
        throw new IllegalArgumentException("not a connection of r2dbc-postgresql: " + connection);
    }
}
