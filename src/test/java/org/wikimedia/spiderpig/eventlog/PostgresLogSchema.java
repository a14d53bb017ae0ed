package org.wikimedia.spiderpig.eventlog;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ScriptUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.store.r2dbc.PostgresLogDatabase;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import reactor.core.publisher.Mono;

/**
 * A throwaway PostgreSQL database with the event log table, and "servers" on it: each {@link #server()} is a
 * {@link PostgresLogDatabase} with a connection pool of its own, as another SpiderPig instance would have.
 */
final class PostgresLogSchema implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final PostgresTestDatabase database;
    private final ConnectionPool admin;

    private PostgresLogSchema(PostgresTestDatabase database) {
        this.database = database;
        this.admin = pool();
    }

    /** Creates the database and its {@code job_events} table; skips the test where no PostgreSQL is configured. */
    static PostgresLogSchema create() {
        PostgresLogSchema schema = new PostgresLogSchema(PostgresTestDatabase.create());
        // The table's own script, as the migrations would run it (the other PostgreSQL scripts are not needed here).
        Mono.usingWhen(schema.admin.create(),
                        (Connection connection) -> ScriptUtils.executeSqlScript(connection,
                                new ClassPathResource("db/migration/postgresql/V7__job_events.sql")),
                        Connection::close)
                .block(TIMEOUT);
        return schema;
    }

    /** A new "server" on the database: its own pool, its own connection that listens. */
    Server server() {
        ConnectionPool pool = pool();
        return new Server(pool, new PostgresLogDatabase(pool, unpooled(), new EventJson(), TIMEOUT));
    }

    record Server(ConnectionPool pool, PostgresLogDatabase logs) implements AutoCloseable {
        @Override
        public void close() {
            pool.disposeLater().block(TIMEOUT);
        }
    }

    /** Removes every event (between tests that share the database). */
    void empty() {
        DatabaseClient.create(admin).sql("TRUNCATE job_events").then().block(TIMEOUT);
    }

    private ConnectionFactory unpooled() {
        return ConnectionFactories.get(database.options());
    }

    private ConnectionPool pool() {
        return new ConnectionPool(ConnectionPoolConfiguration.builder(unpooled()).initialSize(1).maxSize(8)
                .maxAcquireTime(TIMEOUT).build());
    }

    @Override
    public void close() {
        admin.disposeLater().block(TIMEOUT);
        database.close();
    }
}
