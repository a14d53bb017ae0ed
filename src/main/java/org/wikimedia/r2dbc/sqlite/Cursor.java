package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Result;
import reactor.core.publisher.FluxSink;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An open SQLite result set on one worker. Rows are read only when the subscriber asks for them, at most
 * {@code chunk} per task so other work on the thread interleaves; cancelling stops reading, interrupts a long step
 * and closes the result set.
 */
final class Cursor implements DbWorker.Cancellable {

    private final DbWorker worker;
    private final SqliteEngine engine;
    private final String sql;
    private final PreparedStatement statement;
    private final ResultSet resultSet;
    private final SqliteRowMetadata metadata;
    private final int chunk;
    private final Consumer<Cursor> onClose;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile FluxSink<Result.Segment> sink;
    /** Worker thread only. */
    private boolean closed;

    Cursor(DbWorker worker, SqliteEngine engine, String sql, PreparedStatement statement, ResultSet resultSet,
           SqliteRowMetadata metadata, int chunk, Consumer<Cursor> onClose) {
        this.worker = worker;
        this.engine = engine;
        this.sql = sql;
        this.statement = statement;
        this.resultSet = resultSet;
        this.metadata = metadata;
        this.chunk = chunk;
        this.onClose = onClose;
    }

    DbWorker worker() {
        return worker;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    void attach(FluxSink<Result.Segment> sink) {
        this.sink = sink;
        sink.onRequest(n -> schedule());
        sink.onCancel(this::cancel);
    }

    void cancel() {
        cancelled = true;
        closeAsync();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                worker.execute(this::pump);
            } catch (RejectedExecutionException e) {
                sink.error(DbWorker.closedError());
            }
        }
    }

    private void pump() {
        FluxSink<Result.Segment> sink = this.sink;
        if (closed) {
            if (!cancelled) {
                sink.error(new io.r2dbc.spi.R2dbcNonTransientResourceException(
                    "Cursor was closed before its rows were read (connection closed or transaction ended)", null, 0,
                    sql));
            }
            return;
        }
        worker.running(this);
        try {
            int read = 0;
            while (!cancelled && sink.requestedFromDownstream() > 0 && read < chunk) {
                if (!resultSet.next()) {
                    closeNow();
                    sink.complete();
                    return;
                }
                engine.rowsRead.increment();
                sink.next(new SqliteRow(metadata, readRow(resultSet, metadata.size())));
                read++;
            }
        } catch (SQLException e) {
            closeNow();
            if (!cancelled) {
                sink.error(SqliteExceptions.map(e, sql));
            }
            return;
        } finally {
            worker.running(null);
        }
        scheduled.set(false);
        if (!cancelled && sink.requestedFromDownstream() > 0) {
            schedule();
        }
    }

    static Object[] readRow(ResultSet resultSet, int columns) throws SQLException {
        Object[] values = new Object[columns];
        for (int i = 0; i < columns; i++) {
            values[i] = resultSet.getObject(i + 1);
        }
        return values;
    }

    /** Closes the result set on the worker thread; safe to call any number of times from anywhere. */
    void closeAsync() {
        if (closeRequested.compareAndSet(false, true)) {
            try {
                worker.execute(this::closeNow);
            } catch (RejectedExecutionException e) {
                // the worker is gone, and the connection with it
            }
        }
    }

    /** Worker thread only. */
    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        closeRequested.set(true);
        DbWorker.closeQuietly(resultSet);
        worker.release(sql, statement);
        onClose.accept(this);
    }

    /** Worker thread only: ends the cursor because its transaction or connection ends. */
    void abandon() {
        if (!closed) {
            closeNow();
            FluxSink<Result.Segment> sink = this.sink;
            if (sink != null && !cancelled) {
                sink.error(new io.r2dbc.spi.R2dbcNonTransientResourceException(
                    "Cursor closed because its transaction or connection ended before its rows were read", null, 0,
                    sql));
            }
        }
    }
}
