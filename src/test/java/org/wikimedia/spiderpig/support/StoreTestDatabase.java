package org.wikimedia.spiderpig.support;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.r2dbc.SchemaMigrations;
import reactor.core.publisher.Mono;

/**
 * An empty database at this release's schema, of either kind the server supports, for the stores' contract tests:
 * SQLite in a fresh file, or a fresh PostgreSQL database ({@link PostgresTestDatabase}: skipped without a server).
 */
public final class StoreTestDatabase implements AutoCloseable {

    public enum Kind { SQLITE, POSTGRESQL }

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Kind kind;
    private final ConnectionFactory connections;
    private final PostgresTestDatabase postgres;

    private StoreTestDatabase(Kind kind, ConnectionFactory connections, PostgresTestDatabase postgres) {
        this.kind = kind;
        this.connections = connections;
        this.postgres = postgres;
    }

    /** A database at the application's current schema. */
    public static StoreTestDatabase create(Kind kind) {
        StoreTestDatabase database = empty(kind);
        new SchemaMigrations(database.connections, "db/migration", Clock.systemUTC()).migrate().block(WAIT);
        return database;
    }

    /** A database without any table. */
    public static StoreTestDatabase empty(Kind kind) {
        return switch (kind) {
            case SQLITE -> new StoreTestDatabase(kind, ConnectionFactories.get("r2dbc:sqlite://"
                    + TestScripts.tempDirectory("spiderpig-store").resolve("store.db")), null);
            case POSTGRESQL -> postgres(PostgresTestDatabase.create());
        };
    }

    /** The SQL that lists the names of the tables (as column {@code v}), in either dialect. */
    public String tableNamesQuery() {
        return switch (kind) {
            case SQLITE -> "SELECT name AS v FROM sqlite_master WHERE type = 'table' ORDER BY name";
            case POSTGRESQL -> "SELECT table_name AS v FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() ORDER BY table_name";
        };
    }

    /** Pooled as the server pools them: races then run over many connections without opening one per statement. */
    private static StoreTestDatabase postgres(PostgresTestDatabase database) {
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
                .builder(ConnectionFactories.get(database.options()))
                .maxSize(16)
                .build());
        return new StoreTestDatabase(Kind.POSTGRESQL, pool, database);
    }

    public Kind kind() {
        return kind;
    }

    public ConnectionFactory connections() {
        return connections;
    }

    public DatabaseClient client() {
        return DatabaseClient.create(connections);
    }

    @Override
    public void close() throws Exception {
        try {
            if (connections instanceof Closeable closeable) {
                Mono.from(closeable.close()).block(WAIT);
            } else if (connections instanceof java.io.Closeable closeable) {
                closeable.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
