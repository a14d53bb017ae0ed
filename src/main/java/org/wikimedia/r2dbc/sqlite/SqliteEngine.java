package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import reactor.core.publisher.Mono;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The threads and sqlite-jdbc connections of one database: one writer, through which every write and every
 * transaction goes, and a few read-only readers (WAL lets them read beside the writer) for plain queries outside
 * transactions.
 */
final class SqliteEngine {

    private static final AtomicInteger ENGINES = new AtomicInteger();

    /** Time tasks waited for their connection's thread, over all this engine's threads. */
    final WaitTimes taskQueueTimes = new WaitTimes();

    final SqliteConfiguration configuration;
    final DbWorker writer;
    final WriterGate writerGate;
    private final List<DbWorker> readers = new ArrayList<>();
    private final ReaderPool readerPool;
    /** Rows read from SQLite cursors so far; tests compare it with the rows consumers asked for. */
    final LongAdder rowsRead = new LongAdder();
    private volatile String version = "unknown";
    private volatile boolean closed;

    private SqliteEngine(SqliteConfiguration configuration) {
        this.configuration = configuration;
        String prefix = "sqlite-" + configuration.displayName() + "-" + ENGINES.incrementAndGet();
        this.writer = new DbWorker(prefix + "-writer", configuration.statementCacheSize(), this, true);
        this.writerGate = new WriterGate(configuration.busyTimeout());
        for (int i = 0; i < configuration.readers(); i++) {
            readers.add(new DbWorker(prefix + "-reader-" + i, configuration.statementCacheSize(), this, false));
        }
        this.readerPool = new ReaderPool(readers);
    }

    /** Opens the writer first (it may create the file and switch it to WAL), then the readers. */
    static Mono<SqliteEngine> open(SqliteConfiguration configuration) {
        return Mono.defer(() -> {
            SqliteEngine engine = new SqliteEngine(configuration);
            return engine.openWorker(engine.writer, configuration.readOnly(), engine.writerPragmas())
                .then(Mono.defer(() -> {
                    List<Mono<Void>> opening = new ArrayList<>();
                    for (DbWorker reader : engine.readers) {
                        opening.add(engine.openWorker(reader, true, engine.readerPragmas()));
                    }
                    return Mono.when(opening);
                }))
                .then(Mono.fromRunnable(engine.readerPool::open))
                .then(Mono.fromRunnable(engine::publishStatistics))
                .thenReturn(engine)
                .onErrorResume(e -> {
                    engine.close();
                    return Mono.error(e);
                });
        });
    }

    private String url() {
        if (configuration.inMemory()) {
            return "jdbc:sqlite::memory:";
        }
        return "jdbc:sqlite:" + configuration.path();
    }

    private String[] writerPragmas() {
        List<String> pragmas = new ArrayList<>();
        if (!configuration.readOnly() && !configuration.inMemory()) {
            pragmas.add("PRAGMA journal_mode=" + configuration.journalMode());
        }
        pragmas.add("PRAGMA synchronous=" + configuration.synchronous());
        pragmas.add("PRAGMA foreign_keys=ON");
        pragmas.add("PRAGMA busy_timeout=" + configuration.busyTimeout().toMillis());
        return pragmas.toArray(String[]::new);
    }

    private String[] readerPragmas() {
        return new String[] {"PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=" + configuration.busyTimeout().toMillis()};
    }

    private Mono<Void> openWorker(DbWorker worker, boolean readOnly, String[] pragmas) {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        worker.execute(() -> {
            try {
                if (worker == writer && !configuration.inMemory() && !configuration.readOnly()
                    && configuration.path().getParent() != null) {
                    // SQLite creates the file, not its directory.
                    java.nio.file.Files.createDirectories(configuration.path().getParent());
                }
                worker.open(url(), DbWorker.config(configuration, readOnly), pragmas);
                if (worker == writer) {
                    try (Statement statement = worker.jdbc().createStatement();
                         ResultSet rs = statement.executeQuery("SELECT sqlite_version()")) {
                        rs.next();
                        version = rs.getString(1);
                    }
                }
                opened.complete(null);
            } catch (SQLException | java.io.IOException e) {
                opened.completeExceptionally(new R2dbcNonTransientResourceException("Cannot open SQLite database "
                    + configuration + ": " + e.getMessage(), null, 0, e));
            }
        });
        return Mono.fromFuture(opened);
    }

    private volatile EngineStatistics statistics;

    private void publishStatistics() {
        if (configuration.jmxName() != null) {
            statistics = EngineStatistics.publish(this, configuration.jmxName());
        }
    }

    int readers() {
        return readerPool.size();
    }

    int readersInUse() {
        return readerPool.inUse();
    }

    int queriesWaitingForReader() {
        return readerPool.waiting();
    }

    WaitTimes readerWaitTimes() {
        return readerPool.waitTimes;
    }

    int queuedTasks() {
        int queued = writer.queuedTasks();
        for (DbWorker reader : readers) {
            queued += reader.queuedTasks();
        }
        return queued;
    }

    /** Bumped by DDL run through this factory; workers then drop the result metadata they cached. */
    private final java.util.concurrent.atomic.AtomicLong schemaGeneration = new java.util.concurrent.atomic.AtomicLong();

    void schemaChanged() {
        schemaGeneration.incrementAndGet();
    }

    long schemaGeneration() {
        return schemaGeneration.get();
    }

    String version() {
        return version;
    }

    /** See {@link ReaderPool#acquire}. */
    boolean acquireReader(java.util.function.Consumer<DbWorker> grant) {
        return readerPool.acquire(grant);
    }

    /** For tests: a free reader, leased, or {@code null}. */
    DbWorker tryAcquireReader() {
        return closed ? null : readerPool.tryLease();
    }

    void releaseReader(DbWorker reader) {
        readerPool.release(reader);
    }

    /** Counts readers held past their statement's task by open cursors. */
    void readerHeldByCursors(int delta) {
        readerPool.heldByCursors(delta);
    }

    boolean isClosed() {
        return closed;
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (statistics != null) {
            statistics.unpublish();
        }
        readerPool.close();
        writer.shutdown();
        readers.forEach(DbWorker::shutdown);
    }

    /** Waits (bounded) for the worker threads to end after {@link #close()}; true if they all did. */
    boolean awaitTermination(long millis) throws InterruptedException {
        boolean ended = writer.awaitTermination(millis);
        for (DbWorker reader : readers) {
            ended &= reader.awaitTermination(millis);
        }
        return ended;
    }
}
