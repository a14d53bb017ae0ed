package org.wikimedia.r2dbc.sqlite;

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
    private final int statementCacheSize;
    private final Map<String, PreparedStatement> cache = new LinkedHashMap<>(16, 0.75f, true);
    private Connection jdbc;
    /** The execution the thread is running now; a cancelled one is interrupted by the progress handler. */
    private volatile Cancellable running;

    DbWorker(String name, int statementCacheSize) {
        this.name = name;
        this.statementCacheSize = statementCacheSize;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
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
        executor.execute(task);
    }

    /** Runs a task on the worker thread; SQL errors come out mapped to R2DBC exceptions. */
    <T> reactor.core.publisher.Mono<T> call(String sql, SqlTask<T> task) {
        return reactor.core.publisher.Mono.create(sink -> {
            try {
                executor.execute(() -> {
                    try {
                        T value = task.call();
                        if (value == null) {
                            sink.success();
                        } else {
                            sink.success(value);
                        }
                    } catch (Throwable t) {
                        sink.error(SqliteExceptions.map(t, sql));
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                sink.error(closedError());
            }
        });
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

    /** Executes SQL that returns no rows. Worker thread only. */
    void run(String sql) throws SQLException {
        try (Statement statement = jdbc.createStatement()) {
            statement.execute(sql);
        }
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
