package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.support.TestScripts;

/** Numbered scripts applied in order, each whole or not at all, and a newer database refused. */
class SchemaMigrationsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private ConnectionFactory connections;
    private DatabaseClient db;

    @BeforeEach
    void openDatabase() {
        String file = TestScripts.tempDirectory("spiderpig-migrations").resolve("test.db").toString();
        connections = ConnectionFactories.get("r2dbc:sqlite://" + file);
        db = DatabaseClient.create(connections);
    }

    @AfterEach
    void closeDatabase() throws Exception {
        ((java.io.Closeable) connections).close();
    }

    @Test
    void aNewDatabaseGetsEveryScriptInOrderAndAVersionRowForEach() {
        SchemaMigrations migrations = migrations("db/migration-test");

        assertThat(migrations.migrate().block(WAIT)).isEqualTo(2);

        assertThat(strings("SELECT name || ':' || colour AS v FROM things")).containsExactly("first:grey");
        assertThat(strings("SELECT version || ' ' || script AS v FROM schema_version ORDER BY version"))
                .containsExactly("1 V1__things.sql", "2 V2__colour_of_things.sql");
    }

    @Test
    void migratingAgainChangesNothing() {
        migrations("db/migration-test").migrate().block(WAIT);

        assertThat(migrations("db/migration-test").migrate().block(WAIT)).isEqualTo(2);

        assertThat(strings("SELECT name AS v FROM things")).containsExactly("first");
        assertThat(strings("SELECT version AS v FROM schema_version")).hasSize(2);
    }

    @Test
    void aFailingScriptLeavesTheDatabaseAtTheVersionBefore() {
        assertThatThrownBy(() -> migrations("db/migration-broken").migrate().block(WAIT))
                .hasMessageContaining("no_such_table");

        assertThat(strings("SELECT version AS v FROM schema_version")).containsExactly("1");
        assertThat(strings("SELECT name AS v FROM sqlite_master WHERE name = 'half'")).isEmpty();
    }

    @Test
    void aDatabaseOfANewerReleaseIsRefused() {
        migrations("db/migration-test").migrate().block(WAIT);
        db.sql("INSERT INTO schema_version (version, script, checksum, applied_at) VALUES (3, 'V3__future.sql', 0, 'x')")
                .then().block(WAIT);

        assertThatThrownBy(() -> migrations("db/migration-test").migrate().block(WAIT))
                .hasMessageContaining("schema version 3, newer than this SpiderPig knows (2)");
    }

    @Test
    void theApplicationsScriptsMakeTheCurrentSchema() {
        SchemaMigrations migrations = migrations("db/migration");

        assertThat(migrations.migrate().block(WAIT)).isEqualTo(migrations.latestVersion()).isGreaterThanOrEqualTo(2);

        assertThat(strings("SELECT name AS v FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                .contains("interactions", "jobs", "schema_version");
    }

    private SchemaMigrations migrations(String location) {
        return new SchemaMigrations(connections, location, Clock.systemUTC());
    }

    private List<String> strings(String sql) {
        return db.sql(sql).map(row -> String.valueOf(row.get("v", Object.class))).all().collectList().block(WAIT);
    }
}
