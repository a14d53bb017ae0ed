package org.wikimedia.spiderpig.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A fresh, empty PostgreSQL database for one test (class), dropped on {@link #close()}. The server comes from
 * {@code SPIDERPIG_TEST_POSTGRES_URL} (an R2DBC URL with credentials of a role that may create databases, e.g.
 * {@code r2dbc:postgresql://spiderpig:spiderpig@127.0.0.1:5432/postgres}; {@code .ci/run} starts one and sets it).
 * Without it the test is skipped on a developer's machine, and fails in CI, where PostgreSQL must be tested.
 */
public final class PostgresTestDatabase implements AutoCloseable {

    public static final String SERVER_URL_VARIABLE = "SPIDERPIG_TEST_POSTGRES_URL";
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(60);

    private final ConnectionFactoryOptions admin;
    private final String name;

    private PostgresTestDatabase(ConnectionFactoryOptions admin, String name) {
        this.admin = admin;
        this.name = name;
    }

    /** True when a PostgreSQL server for tests is configured. */
    public static boolean available() {
        String url = System.getenv(SERVER_URL_VARIABLE);
        return url != null && !url.isBlank();
    }

    /** Creates the database, or skips the calling test when no server is configured (outside CI). */
    public static PostgresTestDatabase create() {
        if (!available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(SERVER_URL_VARIABLE + " is not set: in CI the PostgreSQL tests must run"
                        + " (.ci/run starts a server and sets it)");
            }
            assumeTrue(false, SERVER_URL_VARIABLE + " is not set: PostgreSQL tests skipped");
        }
        ConnectionFactoryOptions admin = ConnectionFactoryOptions.parse(System.getenv(SERVER_URL_VARIABLE));
        String name = "spiderpig_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        PostgresTestDatabase database = new PostgresTestDatabase(admin, name);
        database.execute("CREATE DATABASE " + name);
        return database;
    }

    /** The new database's R2DBC URL, without credentials (see {@link #username()}, {@link #password()}). */
    public String url() {
        return "r2dbc:postgresql://" + admin.getRequiredValue(ConnectionFactoryOptions.HOST) + ":"
                + port() + "/" + name;
    }

    public String username() {
        return (String) admin.getRequiredValue(ConnectionFactoryOptions.USER);
    }

    public String password() {
        return String.valueOf(admin.getRequiredValue(ConnectionFactoryOptions.PASSWORD));
    }

    /** Options that connect to the new database, for a test that talks to it through R2DBC directly. */
    public ConnectionFactoryOptions options() {
        return admin.mutate().option(ConnectionFactoryOptions.DATABASE, name).build();
    }

    /** The command-line arguments that point a server at this database. */
    public String[] serverArguments() {
        return new String[] {
                "--spiderpig.database.url=" + url(),
                "--spiderpig.database.username=" + username(),
                "--spiderpig.database.password=" + password()};
    }

    /**
     * An outage of this database, as its clients see one: new connections are refused, and those open are ended
     * (PostgreSQL's "terminating connection due to administrator command"), until {@link #endOutage()}.
     */
    public void beginOutage() {
        execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        endClientConnections();
    }

    /** Ends every client's connection to the database (a lock holder's too), as an operator or a failover would. */
    public void endClientConnections() {
        // The clients' connections only: an autovacuum worker in the database may not be ended by this role.
        execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'"
                + " AND backend_type = 'client backend' AND usename = current_user");
    }

    /**
     * Takes {@code LOCK TABLE table IN mode MODE} in a transaction of a connection of its own, held until that
     * connection is ended ({@link #endClientConnections()}); statements that conflict wait meanwhile.
     */
    public void holdLock(String table, String mode) {
        Connection connection = Mono.from(ConnectionFactories.get(options()).create()).block(ADMIN_TIMEOUT);
        Mono.from(connection.beginTransaction())
                .thenMany(Flux.from(connection.createStatement("LOCK TABLE " + table + " IN " + mode + " MODE").execute())
                        .flatMap(result -> result.getRowsUpdated()))
                .then()
                .block(ADMIN_TIMEOUT);
    }

    /** How many of the database's connections wait for a lock now. */
    public long waitingForLocks() {
        return Mono.usingWhen(Mono.from(ConnectionFactories.get(admin).create()),
                (Connection connection) -> Flux.from(connection.createStatement("SELECT count(*) FROM pg_stat_activity"
                                + " WHERE datname = '" + name + "' AND wait_event_type = 'Lock'").execute())
                        .flatMap(result -> result.map((row, meta) -> row.get(0, Long.class))).next(),
                Connection::close).block(ADMIN_TIMEOUT);
    }

    /** The transactions committed in the database so far (PostgreSQL's statistics, up to a second behind): a statement outside a transaction counts one. */
    public long committedTransactions() {
        return Mono.usingWhen(Mono.from(ConnectionFactories.get(admin).create()),
                (Connection connection) -> Flux.from(connection.createStatement(
                                "SELECT xact_commit FROM pg_stat_database WHERE datname = '" + name + "'").execute())
                        .flatMap(result -> result.map((row, meta) -> row.get(0, Long.class))).next(),
                Connection::close).block(ADMIN_TIMEOUT);
    }

    public void endOutage() {
        execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
    }

    private Object port() {
        Object port = admin.getValue(ConnectionFactoryOptions.PORT);
        return port == null ? 5432 : port;
    }

    /**
     * Drops the database, ending the connections still open to it. An autovacuum worker may be in it for a moment;
     * a role without {@code pg_signal_backend} may not end that one, so the drop is tried again until it is gone.
     */
    @Override
    public void close() {
        String drop = "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)";
        Mono.defer(() -> executeLater(drop))
                .retryWhen(Retry.fixedDelay(100, Duration.ofMillis(200))
                        .filter(error -> error instanceof R2dbcPermissionDeniedException))
                .block(ADMIN_TIMEOUT);
    }

    private void execute(String sql) {
        executeLater(sql).block(ADMIN_TIMEOUT);
    }

    private Mono<Void> executeLater(String sql) {
        return Mono.usingWhen(Mono.from(ConnectionFactories.get(admin).create()),
                (Connection connection) -> Flux.from(connection.createStatement(sql).execute())
                        .flatMap(result -> result.getRowsUpdated()).then(),
                Connection::close);
    }
}
