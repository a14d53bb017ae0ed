package org.wikimedia.spiderpig.eventlog;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import io.r2dbc.spi.Option;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
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
        return server("spiderpig-test");
    }

    /**
     * A new "server" whose connection that listens is named {@code <name>-listening} (its application_name) and
     * is refused while {@link Server#refuseListening()} is set.
     */
    Server server(String name) {
        ConnectionPool pool = pool();
        AtomicBoolean refuse = new AtomicBoolean();
        ConnectionFactory named = ConnectionFactories.get(database.options().mutate()
                .option(Option.valueOf("applicationName"), name + "-listening").build());
        ConnectionFactory listening = new ConnectionFactory() {
            @Override
            public Publisher<? extends Connection> create() {
                return Mono.defer(() -> refuse.get()
                        ? Mono.error(new IllegalStateException("refused by the test"))
                        : Mono.from(named.create()));
            }

            @Override
            public ConnectionFactoryMetadata getMetadata() {
                return named.getMetadata();
            }
        };
        return new Server(pool, new PostgresLogDatabase(pool, listening, new EventJson(), TIMEOUT, Duration.ZERO),
                refuse);
    }

    record Server(ConnectionPool pool, PostgresLogDatabase logs, AtomicBoolean refuseListening)
            implements AutoCloseable {
        @Override
        public void close() {
            pool.disposeLater().block(TIMEOUT);
        }
    }

    /** Removes every event (between tests that share the database). */
    void empty() {
        admin().sql("TRUNCATE job_events").then().block(TIMEOUT);
    }

    /** A client of the database beside the "servers", for what a test does behind their backs. */
    DatabaseClient admin() {
        return DatabaseClient.create(admin);
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
