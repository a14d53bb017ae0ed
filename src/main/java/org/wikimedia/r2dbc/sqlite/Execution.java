package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.MonoSink;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code execute()} of a statement or batch: every (SQL statement, bindings) unit runs in a single task on the
 * chosen worker, each producing a {@link Result}. The worker (a reader, or the writer gate's hold) stays taken until
 * the task ends and every cursor it opened is closed.
 */
final class Execution implements DbWorker.Cancellable {

    /** Rows read at execution, so that a query of one row completes without a second trip to the worker. */
    static final int ROWS_READ_AT_EXECUTION = 2;
    static final int DEFAULT_CHUNK = 128;

    private final SqliteConnection connection;
    private final SqliteEngine engine;
    /** Every binding runs every part, binding by binding: unit k is part k % parts, binding k / parts. */
    private final List<SqlScript.Part> parts;
    private final List<Object[]> bindings;
    private final int units;
    private final String[] generatedColumns;
    private final int chunk;
    private final MonoSink<Outcome> sink;
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile boolean cancelled;
    /** Worker thread only: the task ended with cursors still open on a reader. */
    private boolean heldByCursors;
    private DbWorker worker;
    private Runnable release;

    Execution(SqliteConnection connection, SqliteEngine engine, List<SqlScript.Part> parts, List<Object[]> bindings,
              String[] generatedColumns, int fetchSize, MonoSink<Outcome> sink) {
        this.connection = connection;
        this.engine = engine;
        this.parts = parts;
        this.bindings = bindings;
        this.units = parts.size() * bindings.size();
        this.generatedColumns = generatedColumns;
        this.chunk = fetchSize > 0 ? fetchSize : DEFAULT_CHUNK;
        this.sink = sink;
        sink.onCancel(() -> cancelled = true);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    boolean isReadOnly() {
        if (generatedColumns != null) {
            return false;
        }
        for (SqlScript.Part part : parts) {
            if (!part.isQuery()) {
                return false;
            }
        }
        return true;
    }

    void runOn(DbWorker worker, Runnable release) {
        this.worker = worker;
        this.release = release;
        try {
            worker.execute(this::run);
        } catch (RejectedExecutionException e) {
            release.run();
            sink.error(DbWorker.closedError());
        }
    }

    private void run() {
        worker.running(this);
        List<Result> results = new ArrayList<>(Math.min(units, 1024));
        Throwable failure = null;
        String sql = null;
        try {
            if (!cancelled) {
                if (worker == engine.writer) {
                    connection.beginImplicitTransactionIfNeeded();
                }
                int i = 0;
                while (i < units && !cancelled) {
                    SqlScript.Part part = parts.get(i % parts.size());
                    sql = sqlOf(part);
                    int run = batchableRun(i);
                    if (run > 1) {
                        executeBatch(part, bindings.subList(i, i + run), sql, results);
                        i += run;
                    } else {
                        results.add(execute(part, bindings.get(i / parts.size()), sql));
                        i++;
                    }
                }
            }
        } catch (Throwable t) {
            failure = SqliteExceptions.map(t, sql);
        } finally {
            worker.running(null);
        }
        // The results are complete or hold their own cursor, so the worker is given back before they are emitted:
        // the statement a subscriber issues in reaction to them then finds the same worker free.
        releaseHold();
        Throwable error = failure;
        worker.deliver(() -> emit(results, error));
    }

    private void emit(List<Result> results, Throwable failure) {
        sink.success(new Outcome(results, failure));
    }

    /** The results of one execution, and the error that stopped it, if any. */
    static final class Outcome {
        final List<Result> results;
        final Throwable failure;

        Outcome(List<Result> results, Throwable failure) {
            this.results = results;
            this.failure = failure;
        }

        Flux<Result> toFlux() {
            Flux<Result> results = this.results.size() == 1 ? Flux.just(this.results.get(0))
                : Flux.fromIterable(this.results);
            return failure == null ? results : results.concatWith(Flux.error(failure));
        }
    }

    /** How many units from {@code from} on run the same row-less data change, so JDBC can run them as a batch. */
    private int batchableRun(int from) {
        if (parts.size() > 1 || generatedColumns != null || !parts.get(0).isPlainDataChange()) {
            return 1;
        }
        return units - from;
    }

    /**
     * Runs the bindings through JDBC's batch inside a savepoint. If any fails, the savepoint is rolled back and the
     * bindings run one by one, so that each reports its own outcome and the failing one its error, exactly as
     * without batching (in auto-commit mode each successful one is then committed on its own).
     */
    private void executeBatch(SqlScript.Part part, List<Object[]> run, String sql, List<Result> results)
        throws SQLException {
        worker.run("SAVEPOINT r2dbc_batch");
        PreparedStatement statement = worker.prepare(sql);
        int[] counts;
        try {
            for (Object[] binding : run) {
                bind(statement, part, binding);
                statement.addBatch();
            }
            counts = statement.executeBatch();
            worker.release(sql, statement);
            worker.run("RELEASE r2dbc_batch");
        } catch (SQLException batchFailed) {
            DbWorker.closeQuietly(statement);
            worker.run("ROLLBACK TO r2dbc_batch");
            worker.run("RELEASE r2dbc_batch");
            for (Object[] binding : run) {
                results.add(execute(part, binding, sql));
            }
            return;
        }
        for (int count : counts) {
            results.add(SqliteResult.updateCount(Math.max(count, 0)));
        }
    }

    private String sqlOf(SqlScript.Part part) {
        return generatedColumns != null && part.isDataChange() ? part.withReturning(generatedColumns) : part.sql;
    }

    private Result execute(SqlScript.Part part, Object[] binding, String sql) throws SQLException {
        PreparedStatement statement = worker.prepare(sql);
        boolean handedOver = false;
        try {
            bind(statement, part, binding);
            if (part.changesSchema()) {
                engine.schemaChanged();
            }
            if (!statement.execute()) {
                long count = statement.getUpdateCount();
                handedOver = true;
                worker.release(sql, statement);
                return SqliteResult.updateCount(Math.max(count, 0));
            }
            ResultSet resultSet = statement.getResultSet();
            SqliteRowMetadata metadata = worker.metadata(sql, resultSet.getMetaData());
            boolean returning = part.isDataChange();
            // RETURNING rows are all computed by the first step and the write stays open until the statement
            // is reset, so they are read at once; queries read two rows, then on demand.
            int limit = returning ? Integer.MAX_VALUE : ROWS_READ_AT_EXECUTION;
            List<Result.Segment> first = new ArrayList<>(Math.min(limit, 16));
            boolean exhausted = false;
            while (first.size() < limit) {
                if (!resultSet.next()) {
                    exhausted = true;
                    break;
                }
                engine.rowsRead.increment();
                first.add(new SqliteRow(metadata, Cursor.readRow(resultSet, metadata.size())));
            }
            if (exhausted) {
                DbWorker.closeQuietly(resultSet);
                handedOver = true;
                worker.release(sql, statement);
                if (returning) {
                    first.add(new SqliteResult.Count(first.size()));
                }
                return new SqliteResult(Flux.fromIterable(first));
            }
            holds.incrementAndGet();
            Cursor cursor = new Cursor(worker, engine, sql, statement, resultSet, metadata, chunk, closed -> {
                connection.forget(closed);
                releaseHold();
            });
            handedOver = true;
            connection.remember(cursor);
            Flux<Result.Segment> rest = Flux.create(cursor::attach);
            return new SqliteResult(Flux.fromIterable(first).concatWith(rest).doFinally(signal -> cursor.closeAsync()));
        } finally {
            if (!handedOver) {
                // A failed statement may be in any state; do not cache it.
                DbWorker.closeQuietly(statement);
            }
        }
    }

    private static void bind(PreparedStatement statement, SqlScript.Part part, Object[] binding) throws SQLException {
        for (int i = 0; i < part.parameterCount; i++) {
            Object value = binding[part.sourceIndex[i]];
            int index = i + 1;
            if (value instanceof Long) {
                statement.setLong(index, (Long) value);
            } else if (value instanceof String) {
                statement.setString(index, (String) value);
            } else if (value instanceof Double) {
                statement.setDouble(index, (Double) value);
            } else if (value instanceof byte[]) {
                statement.setBytes(index, (byte[]) value);
            } else if (value == Codecs.NULL) {
                statement.setNull(index, Types.NULL);
            } else {
                throw new IllegalStateException("Parameter " + index + " holds an unexpected " + value);
            }
        }
    }

    /** The task's own hold, released when it ends; cursors take one each. Worker thread only. */
    private void releaseHold() {
        int left = holds.decrementAndGet();
        boolean reader = worker != engine.writer;
        if (left == 0) {
            if (reader && heldByCursors) {
                engine.readerHeldByCursors(-1);
            }
            release.run();
        } else if (reader && !heldByCursors) {
            heldByCursors = true;
            engine.readerHeldByCursors(1);
        }
    }
}
