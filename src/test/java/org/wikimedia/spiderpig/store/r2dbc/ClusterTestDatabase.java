package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ScriptUtils;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.TestScripts;
import reactor.core.publisher.Mono;

/**
 * A migrated database of either dialect for the cluster stores' contract tests. On PostgreSQL, while this branch
 * lacks the scripts before its own (they come with the PostgreSQL stores), the jobs table is made by hand with
 * the columns these tests fill, and the cluster script is applied to it.
 */
final class ClusterTestDatabase implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String POSTGRES_CLUSTER_SCRIPT = "db/migration/postgresql/V8__instances_queue_leases_job_commands.sql";

    private final ConnectionFactory connections;
    private final PostgresTestDatabase postgres;
    final DatabaseClient db;

    private ClusterTestDatabase(ConnectionFactory connections, PostgresTestDatabase postgres) {
        this.connections = connections;
        this.postgres = postgres;
        this.db = DatabaseClient.create(connections);
    }

    static ClusterTestDatabase of(String dialect) {
        if (dialect.equals("sqlite")) {
            String file = TestScripts.tempDirectory("spiderpig-cluster").resolve("cluster.db").toString();
            ClusterTestDatabase database = new ClusterTestDatabase(ConnectionFactories.get("r2dbc:sqlite://" + file), null);
            new SchemaMigrations(database.connections, "db/migration", Clock.systemUTC()).migrate().block(TIMEOUT);
            return database;
        }
        PostgresTestDatabase postgres = PostgresTestDatabase.create();
        ClusterTestDatabase database = new ClusterTestDatabase(ConnectionFactories.get(postgres.options()), postgres);
        database.migratePostgres();
        return database;
    }

    private void migratePostgres() {
        SchemaMigrations migrations;
        try {
            migrations = new SchemaMigrations(connections, "db/migration", Clock.systemUTC());
        } catch (IllegalStateException earlierScriptsMissing) {
            db.sql("""
                            CREATE TABLE jobs (id BIGSERIAL PRIMARY KEY, command TEXT NOT NULL, parameters TEXT NOT NULL,
                                description TEXT NOT NULL, owner TEXT NOT NULL, concurrency_group TEXT NOT NULL,
                                state TEXT NOT NULL, created_at TEXT NOT NULL)""")
                    .then().block(TIMEOUT);
            Mono.usingWhen(Mono.from(connections.create()),
                            connection -> ScriptUtils.executeSqlScript(connection, new ClassPathResource(POSTGRES_CLUSTER_SCRIPT)),
                            connection -> Mono.from(connection.close()))
                    .block(TIMEOUT);
            return;
        }
        migrations.migrate().block(TIMEOUT);
    }

    /** A queued job of {@code group}; its id. */
    long newJob(String group) {
        db.sql("""
                        INSERT INTO jobs (command, parameters, description, owner, concurrency_group, state, created_at)
                        VALUES ('backport', '{}', 'Backport', 'alice', :group, 'queued', :at)""")
                .bind("group", group).bind("at", Instant.now().toString())
                .then().block(TIMEOUT);
        return db.sql("SELECT MAX(id) AS id FROM jobs").map(row -> row.get("id", Long.class)).one().block(TIMEOUT);
    }

    @Override
    public void close() {
        if (connections instanceof Closeable closeable) {
            Mono.from(closeable.close()).block(TIMEOUT);
        }
        if (postgres != null) {
            postgres.close();
        }
    }
}
