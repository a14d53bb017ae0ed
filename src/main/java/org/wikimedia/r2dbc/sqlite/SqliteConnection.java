package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionMetadata;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.TransactionDefinition;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A logical connection. It owns no sqlite-jdbc connection: plain queries outside a transaction run on a free
 * reader, everything else on the shared writer, which this connection holds through the {@link WriterGate} for the
 * length of each statement, of each open cursor on the writer, and of each transaction.
 */
final class SqliteConnection implements Connection {

    private final SqliteEngine engine;
    private final Set<Cursor> cursors = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean autoCommit = true;
    /** True from BEGIN until COMMIT/ROLLBACK; the connection then holds the writer gate once for it. */
    private volatile boolean inTransaction;
    /** The BEGIN of a transaction in which no statement ran yet. */
    private volatile String pendingBegin;

    SqliteConnection(SqliteEngine engine) {
        this.engine = engine;
    }

    SqliteEngine engine() {
        return engine;
    }

    @Override
    public Mono<Void> beginTransaction() {
        return beginTransaction(DefaultTransaction.READ_WRITE);
    }

    @Override
    public Mono<Void> beginTransaction(TransactionDefinition definition) {
        return Mono.defer(() -> {
            checkOpen();
            IsolationLevel isolation = definition.getAttribute(TransactionDefinition.ISOLATION_LEVEL);
            if (isolation != null && !IsolationLevel.SERIALIZABLE.equals(isolation)) {
                return Mono.<Void>error(unsupportedIsolation(isolation));
            }
            if (inTransaction) {
                return Mono.empty();
            }
            // BEGIN IMMEDIATE takes the write lock before the first statement: a deferred transaction that writes
            // after reading could fail with SQLITE_BUSY against another process. Read-only ones need no write lock.
            boolean readOnly = Boolean.TRUE.equals(definition.getAttribute(TransactionDefinition.READ_ONLY));
            String begin = readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE";
            // The BEGIN itself runs with the transaction's first statement, saving a trip to the writer thread;
            // holding the writer gate already keeps every other connection's writes out.
            return engine.writerGate.acquire(this).then(Mono.fromRunnable(() -> {
                if (inTransaction) {
                    engine.writerGate.release(this);
                } else {
                    pendingBegin = begin;
                    inTransaction = true;
                }
            }));
        });
    }

    /** Worker thread, writer gate held: with auto-commit off, the first statement opens the transaction. */
    void beginImplicitTransactionIfNeeded() throws java.sql.SQLException {
        if (!autoCommit && !inTransaction) {
            engine.writer.run("BEGIN IMMEDIATE");
            inTransaction = true;
            engine.writerGate.reenter(this);
        }
        beginPendingTransaction();
    }

    /** Writer thread: runs the BEGIN that {@link #beginTransaction} left for the first statement. */
    void beginPendingTransaction() throws java.sql.SQLException {
        String begin = pendingBegin;
        if (begin != null) {
            engine.writer.run(begin);
            pendingBegin = null;
        }
    }

    @Override
    public Mono<Void> commitTransaction() {
        return endTransaction("COMMIT");
    }

    @Override
    public Mono<Void> rollbackTransaction() {
        return endTransaction("ROLLBACK");
    }

    private Mono<Void> endTransaction(String sql) {
        return Mono.defer(() -> {
            checkOpen();
            if (!inTransaction) {
                return Mono.empty();
            }
            return engine.writer.<Void>call(sql, () -> {
                abandonCursorsOn(engine.writer);
                if (pendingBegin != null) {
                    // Nothing ran in the transaction: there is nothing to commit or roll back.
                    pendingBegin = null;
                } else {
                    try {
                        engine.writer.run(sql);
                    } catch (java.sql.SQLException e) {
                        // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR...).
                        if (!(sql.equals("ROLLBACK")
                            && String.valueOf(e.getMessage()).contains("no transaction is active"))) {
                            throw e;
                        }
                    }
                }
                inTransaction = false;
                // Given back here, on the writer thread, so that the next connection's statement is queued
                // behind this task and the writer never idles between transactions.
                engine.writerGate.release(this);
                return null;
            });
        });
    }

    @Override
    public SqliteBatch createBatch() {
        checkOpenForCreate();
        return new SqliteBatch(this);
    }

    @Override
    public Mono<Void> createSavepoint(String name) {
        String sql = "SAVEPOINT " + quote(name);
        return Mono.defer(() -> {
            checkOpen();
            return (inTransaction ? Mono.<Void>empty() : beginTransaction()).then(inTransactionOnWriter(sql));
        });
    }

    @Override
    public Mono<Void> releaseSavepoint(String name) {
        return inTransactionOnWriter("RELEASE SAVEPOINT " + quote(name));
    }

    @Override
    public Mono<Void> rollbackTransactionToSavepoint(String name) {
        return inTransactionOnWriter("ROLLBACK TO SAVEPOINT " + quote(name));
    }

    private Mono<Void> inTransactionOnWriter(String sql) {
        return Mono.defer(() -> {
            checkOpen();
            if (!inTransaction) {
                return Mono.error(new R2dbcNonTransientResourceException("No transaction is active for: " + sql));
            }
            return engine.writer.<Void>call(sql, () -> {
                beginPendingTransaction();
                engine.writer.run(sql);
                return null;
            });
        });
    }

    private static String quote(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("savepoint name must not be null or empty");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public SqliteStatement createStatement(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        checkOpenForCreate();
        return new SqliteStatement(this, sql);
    }

    /**
     * Runs every part with every binding in one task: on a reader when they only read outside a transaction,
     * else on the writer.
     */
    Flux<Result> execute(List<SqlScript.Part> parts, List<Object[]> bindings, String[] generatedColumns,
                         int fetchSize) {
        return Mono.<Execution.Outcome>create(sink -> {
            if (closed) {
                sink.error(closedError());
                return;
            }
            Execution execution = new Execution(this, engine, parts, bindings, generatedColumns, fetchSize,
                sink);
            if (autoCommit && !inTransaction && execution.isReadOnly() && engine.acquireReader(reader -> {
                if (reader == null) {
                    sink.error(DbWorker.closedError());
                } else {
                    execution.runOn(reader, () -> engine.releaseReader(reader));
                }
            })) {
                return;
            }
            engine.writerGate.acquire(this).subscribe(null, sink::error,
                () -> execution.runOn(engine.writer, () -> engine.writerGate.release(this)));
        }).flatMapMany(Execution.Outcome::toFlux);
    }

    void remember(Cursor cursor) {
        cursors.add(cursor);
    }

    void forget(Cursor cursor) {
        cursors.remove(cursor);
    }

    /** Worker thread: closes this connection's cursors on that worker. */
    private void abandonCursorsOn(DbWorker worker) {
        for (Cursor cursor : new ArrayList<>(cursors)) {
            if (cursor.worker() == worker) {
                cursor.abandon();
            }
        }
    }

    @Override
    public boolean isAutoCommit() {
        return autoCommit && !inTransaction;
    }

    @Override
    public ConnectionMetadata getMetadata() {
        return new SqliteConnectionMetadata(engine.version());
    }

    @Override
    public IsolationLevel getTransactionIsolationLevel() {
        return IsolationLevel.SERIALIZABLE;
    }

    @Override
    public Mono<Void> setAutoCommit(boolean autoCommit) {
        return Mono.defer(() -> {
            checkOpen();
            if (this.autoCommit == autoCommit) {
                return Mono.empty();
            }
            this.autoCommit = autoCommit;
            return autoCommit && inTransaction ? commitTransaction() : Mono.empty();
        });
    }

    @Override
    public Mono<Void> setLockWaitTimeout(Duration timeout) {
        // The busy timeout is a property of the shared connections, set when the factory opens them.
        return Mono.defer(() -> {
            checkOpen();
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> setStatementTimeout(Duration timeout) {
        return Mono.defer(() -> {
            checkOpen();
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> setTransactionIsolationLevel(IsolationLevel isolationLevel) {
        if (isolationLevel == null) {
            throw new IllegalArgumentException("isolationLevel must not be null");
        }
        return Mono.defer(() -> {
            checkOpen();
            return IsolationLevel.SERIALIZABLE.equals(isolationLevel) ? Mono.empty()
                : Mono.error(unsupportedIsolation(isolationLevel));
        });
    }

    private static IllegalArgumentException unsupportedIsolation(IsolationLevel level) {
        return new IllegalArgumentException("SQLite transactions are always SERIALIZABLE; isolation level "
            + level.asSql() + " is not supported");
    }

    @Override
    public Mono<Boolean> validate(ValidationDepth depth) {
        return Mono.defer(() -> {
            if (closed || engine.isClosed()) {
                return Mono.just(false);
            }
            if (depth == ValidationDepth.LOCAL) {
                return Mono.just(true);
            }
            return engine.writer.call(null, engine.writer::isUsable).onErrorReturn(false);
        });
    }

    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.empty();
            }
            closed = true;
            List<Mono<Void>> closing = new ArrayList<>();
            for (Cursor cursor : new ArrayList<>(cursors)) {
                closing.add(cursor.worker().call(null, () -> {
                    cursor.abandon();
                    return null;
                }));
            }
            Mono<Void> rollback = !inTransaction ? Mono.empty() : engine.writer.<Void>call("ROLLBACK", () -> {
                if (inTransaction) {
                    inTransaction = false;
                    if (pendingBegin != null) {
                        pendingBegin = null;
                    } else {
                        engine.writer.run("ROLLBACK");
                    }
                }
                return null;
            }).onErrorResume(e -> Mono.empty());
            return Mono.when(closing).onErrorResume(e -> Mono.empty())
                .then(rollback)
                .doFinally(signal -> engine.writerGate.releaseAll(this));
        });
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw closedError();
        }
    }

    private void checkOpenForCreate() {
        if (closed) {
            throw new IllegalStateException("Connection is closed");
        }
    }

    static R2dbcNonTransientResourceException closedError() {
        return new R2dbcNonTransientResourceException("Connection is closed");
    }

    /** Transaction definitions this driver accepts. */
    enum DefaultTransaction implements TransactionDefinition {
        READ_WRITE;

        @Override
        public <T> T getAttribute(io.r2dbc.spi.Option<T> option) {
            return null;
        }
    }
}
