package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

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

    /** One SQLite statement with the bindings it runs with. */
    static final class Unit {
        final SqlScript.Part part;
        final Object[] binding;

        Unit(SqlScript.Part part, Object[] binding) {
            this.part = part;
            this.binding = binding;
        }
    }

    private final SqliteConnection connection;
    private final SqliteEngine engine;
    private final List<Unit> units;
    private final String[] generatedColumns;
    private final int chunk;
    private final FluxSink<Result> sink;
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile boolean cancelled;
    private DbWorker worker;
    private Runnable release;

    Execution(SqliteConnection connection, SqliteEngine engine, List<Unit> units, String[] generatedColumns,
              int fetchSize, FluxSink<Result> sink) {
        this.connection = connection;
        this.engine = engine;
        this.units = units;
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
        for (Unit unit : units) {
            if (!unit.part.isQuery()) {
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
        String sql = null;
        try {
            if (cancelled) {
                return;
            }
            if (worker == engine.writer) {
                connection.beginImplicitTransactionIfNeeded();
            }
            for (Unit unit : units) {
                if (cancelled) {
                    return;
                }
                sql = sqlOf(unit.part);
                sink.next(execute(unit, sql));
            }
            sink.complete();
        } catch (Throwable t) {
            sink.error(SqliteExceptions.map(t, sql));
        } finally {
            worker.running(null);
            releaseHold();
        }
    }

    private String sqlOf(SqlScript.Part part) {
        return generatedColumns != null && part.isDataChange() ? part.withReturning(generatedColumns) : part.sql;
    }

    private Result execute(Unit unit, String sql) throws SQLException {
        PreparedStatement statement = worker.prepare(sql);
        boolean handedOver = false;
        try {
            bind(statement, unit);
            if (!statement.execute()) {
                long count = statement.getUpdateCount();
                handedOver = true;
                worker.release(sql, statement);
                return SqliteResult.updateCount(Math.max(count, 0));
            }
            ResultSet resultSet = statement.getResultSet();
            SqliteRowMetadata metadata = SqliteRowMetadata.of(resultSet.getMetaData());
            boolean returning = unit.part.isDataChange();
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

    private static void bind(PreparedStatement statement, Unit unit) throws SQLException {
        SqlScript.Part part = unit.part;
        for (int i = 0; i < part.parameterCount; i++) {
            Object value = unit.binding[part.sourceIndex[i]];
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

    private void releaseHold() {
        if (holds.decrementAndGet() == 0) {
            release.run();
        }
    }
}
