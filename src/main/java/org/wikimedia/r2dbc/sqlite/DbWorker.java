package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.R2dbcException;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One sqlite-jdbc connection and the one thread that ever touches it. Everything done with the connection is a
 * task run on that thread, in submission order.
 */
final class DbWorker {

    /** How many SQLite VM steps run between two checks for cancellation of a long statement. */
    private static final int PROGRESS_PERIOD = 10_000;

    private final String name;
    private final ExecutorService executor;
    private volatile Thread thread;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final int statementCacheSize;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(16, 0.75f, true);
    private Connection jdbc;
    /** The execution the thread is running now; a cancelled one is interrupted by the progress handler. */
    private volatile Cancellable running;

    private final SqliteEngine engine;
    private final Map<String, SqliteRowMetadata> metadataCache = new java.util.HashMap<>();
    private long metadataGeneration;

    private final boolean offloadSignals;

    DbWorker(String name, int statementCacheSize, SqliteEngine engine, boolean offloadSignals) {
        this.offloadSignals = offloadSignals;
        this.name = name;
        this.engine = engine;
        this.statementCacheSize = statementCacheSize;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            this.thread = thread;
            return thread;
        });
    }

    boolean runsOn(Thread candidate) {
        return thread == candidate;
    }

    String name() {
        return name;
    }

    /** Runs on the worker thread. */
    void open(String url, SQLiteConfig config, String... pragmas) throws SQLException {
        jdbc = config.createConnection(url);
        try (Statement statement = jdbc.createStatement()) {
            for (String pragma : pragmas) {
                statement.execute(pragma);
            }
        }
        ProgressHandler.setHandler(jdbc, PROGRESS_PERIOD, new ProgressHandler() {
            @Override
            protected int progress() {
                Cancellable current = running;
                return current != null && current.isCancelled() ? 1 : 0;
            }
        });
    }

    static SQLiteConfig config(SqliteConfiguration configuration, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        // Generated values come from RETURNING; sqlite-jdbc's own key tracking would cost every INSERT.
        config.setGetGeneratedKeys(false);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, configuration.busyTimeout().toMillis()));
        if (readOnly) {
            config.setReadOnly(true);
        }
        return config;
    }

    Connection jdbc() {
        return jdbc;
    }

    void execute(Runnable task) {
        executor.execute(timed(task));
    }

    /** Counts the time a task waited in this thread's queue into the engine's figures. */
    private Runnable timed(Runnable task) {
        long queued = System.nanoTime();
        return () -> {
            engine.taskQueueTimes.waitedSince(queued);
            task.run();
        };
    }

    int queuedTasks() {
        return queue.size();
    }

    /** Runs a task on the worker thread; SQL errors come out mapped to R2DBC exceptions. */
    <T> reactor.core.publisher.Mono<T> call(String sql, SqlTask<T> task) {
        return reactor.core.publisher.Mono.create(sink -> {
            try {
                executor.execute(timed(() -> {
                    Runnable signal;
                    try {
                        T value = task.call();
                        signal = value == null ? sink::success : () -> sink.success(value);
                    } catch (Throwable t) {
                        R2dbcException error = SqliteExceptions.map(t, sql);
                        signal = () -> sink.error(error);
                    }
                    deliver(signal);
                }));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                sink.error(closedError());
            }
        });
    }

    /**
     * Signals subscribers, from this thread or, when other work waits for it, from another. The writer is the one
     * resource every write waits for, so while others wait, subscribers' own work (often building their next
     * statement) must not run on it; when nobody waits, handing off would only add latency. Readers are a pool and
     * always deliver directly. Worker thread only.
     */
    void deliver(Runnable signal) {
        if (offloadSignals && (!queue.isEmpty() || engine.writerGate.hasWaiters())) {
            reactor.core.scheduler.Schedulers.parallel().schedule(signal);
        } else {
            signal.run();
        }
    }

    static io.r2dbc.spi.R2dbcNonTransientResourceException closedError() {
        return new io.r2dbc.spi.R2dbcNonTransientResourceException("SQLite connection factory is closed");
    }

    /** Work for the worker thread. */
    @FunctionalInterface
    interface SqlTask<T> {
        T call() throws Exception;
    }

    /** Marks what the thread runs now, so that cancelling it interrupts SQLite. Worker thread only. */
    void running(Cancellable execution) {
        this.running = execution;
    }

    /** Takes a prepared statement out of the cache (it is in use until {@link #release}). Worker thread only. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = cache.remove(sql);
        if (statement != null) {
            return statement;
        }
        return jdbc.prepareStatement(sql);
    }

    /** Returns a statement whose result set is closed to the cache. Worker thread only. */
    void release(String sql, PreparedStatement statement) {
        try {
            if (statementCacheSize == 0 || cache.containsKey(sql)) {
                statement.close();
                return;
            }
            statement.clearParameters();
            cache.put(sql, statement);
            if (cache.size() > statementCacheSize) {
                Iterator<PreparedStatement> eldest = cache.values().iterator();
                PreparedStatement evicted = eldest.next();
                eldest.remove();
                evicted.close();
            }
        } catch (SQLException e) {
            closeQuietly(statement);
        }
    }

    /**
     * Result metadata of a statement, built once per SQL text: asking SQLite for nullability costs more than the
     * query. The cached one is used while the column names still match and no DDL ran here. Worker thread only.
     */
    SqliteRowMetadata metadata(String sql, java.sql.ResultSetMetaData current) throws SQLException {
        long generation = engine.schemaGeneration();
        if (generation != metadataGeneration) {
            metadataCache.clear();
            metadataGeneration = generation;
        }
        SqliteRowMetadata cached = metadataCache.get(sql);
        if (cached != null && cached.matches(current)) {
            return cached;
        }
        SqliteRowMetadata metadata = SqliteRowMetadata.of(current);
        if (metadataCache.size() >= Math.max(16, statementCacheSize * 2)) {
            metadataCache.clear();
        }
        metadataCache.put(sql, metadata);
        return metadata;
    }

    /** Executes SQL that returns no rows (BEGIN, COMMIT, SAVEPOINT...), prepared once. Worker thread only. */
    void run(String sql) throws SQLException {
        PreparedStatement statement = prepare(sql);
        try {
            statement.execute();
        } catch (SQLException e) {
            closeQuietly(statement);
            throw e;
        }
        release(sql, statement);
    }

    boolean isUsable() {
        try {
            return !executor.isShutdown() && jdbc != null && !jdbc.isClosed();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Closes cached statements and the connection on the worker thread, then stops the thread. */
    void shutdown() {
        try {
            executor.execute(() -> {
                cache.values().forEach(DbWorker::closeQuietly);
                cache.clear();
                if (jdbc != null) {
                    try {
                        jdbc.close();
                    } catch (SQLException ignored) {
                        // closing anyway
                    }
                }
            });
        } catch (RuntimeException alreadyStopped) {
            return;
        }
        executor.shutdown();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return executor.awaitTermination(millis, TimeUnit.MILLISECONDS);
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing more to do with it
        }
    }

    /** Something the progress handler may interrupt. */
    interface Cancellable {
        boolean isCancelled();
    }
}
