package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import reactor.core.publisher.Mono;

import java.io.Closeable;
import java.time.Duration;

/**
 * Connections to one SQLite database. The database's threads and sqlite-jdbc connections open with the first
 * {@link #create()} and live until {@link #close()}; connections handed out are cheap logical ones.
 */
public final class SqliteConnectionFactory implements ConnectionFactory, Closeable {

    private final SqliteConfiguration configuration;
    private final Mono<SqliteEngine> engine;
    private volatile SqliteEngine opened;
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    private volatile boolean closed;

    public SqliteConnectionFactory(SqliteConfiguration configuration) {
        this.configuration = configuration;
        this.engine = Mono.defer(() -> closed ? Mono.error(DbWorker.closedError()) : SqliteEngine.open(configuration))
            .doOnNext(e -> {
                opened = e;
                if (closed) {
                    e.close();
                }
            })
            .cache(e -> Duration.ofMillis(Long.MAX_VALUE), error -> Duration.ZERO, () -> Duration.ZERO);
    }

    @Override
    public Mono<io.r2dbc.spi.Connection> create() {
        return Mono.defer(() -> closed ? Mono.error(DbWorker.closedError()) : engine)
            .map(SqliteConnection::new);
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return () -> SqliteConnectionMetadata.PRODUCT_NAME;
    }

    public SqliteConfiguration configuration() {
        return configuration;
    }

    /** Rows read from SQLite so far by all connections of this factory (for tests and monitoring). */
    public long rowsRead() {
        SqliteEngine e = opened;
        return e == null ? 0 : e.rowsRead.sum();
    }

    /**
     * Closes the database's connections and stops its threads, waiting (up to {@value #CLOSE_WAIT_MILLIS} ms)
     * until they have: a JVM that exits right after would otherwise skip SQLite's last checkpoint. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        SqliteEngine e = opened;
        if (e != null) {
            e.close();
            try {
                e.awaitTermination(CLOSE_WAIT_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "SqliteConnectionFactory{" + configuration + '}';
    }
}
