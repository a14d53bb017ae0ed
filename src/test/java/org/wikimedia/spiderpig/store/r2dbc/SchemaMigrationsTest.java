package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.support.StoreTestDatabase;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** Numbered scripts applied in order, each whole or not at all, and a newer database refused; on each database. */
@ParameterizedClass
@EnumSource(StoreTestDatabase.Kind.class)
class SchemaMigrationsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final StoreTestDatabase.Kind kind;
    private StoreTestDatabase database;
    private DatabaseClient db;

    SchemaMigrationsTest(StoreTestDatabase.Kind kind) {
        this.kind = kind;
    }

    @BeforeEach
    void openDatabase() {
        database = StoreTestDatabase.empty(kind);
        db = database.client();
    }

    @AfterEach
    void closeDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
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
    void serversStartingTogetherMigrateOneAfterTheOther() {
        List<Integer> versions = Flux.range(0, 4)
                .flatMap(server -> migrations("db/migration").migrate().subscribeOn(Schedulers.boundedElastic()))
                .collectList().block(WAIT);

        int latest = migrations("db/migration").latestVersion();
        assertThat(versions).containsOnly(latest).hasSize(4);
        assertThat(strings("SELECT version AS v FROM schema_version")).hasSize(latest);
    }

    @Test
    void aFailingScriptLeavesTheDatabaseAtTheVersionBefore() {
        assertThatThrownBy(() -> migrations("db/migration-broken").migrate().block(WAIT))
                .hasMessageContaining("no_such_table");

        assertThat(strings("SELECT version AS v FROM schema_version")).containsExactly("1");
        assertThat(strings(database.tableNamesQuery())).doesNotContain("half");
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

        assertThat(strings(database.tableNamesQuery())).contains("api_tokens", "audit", "interactions", "job_origins",
                "jobs", "oidc_users", "schema_version", "second_factors", "sessions", "sign_in_throttle");
    }

    @Test
    void checksumsOfEveryScriptAreStoredWhole() {
        SchemaMigrations migrations = migrations("db/migration");
        migrations.migrate().block(WAIT);

        // CRC-32 goes up to 2^32 - 1: more than a 32-bit column holds; a second start compares them all again.
        assertThat(strings("SELECT checksum AS v FROM schema_version")).allSatisfy(checksum ->
                assertThat(Long.parseLong(checksum)).isBetween(0L, 0xFFFF_FFFFL));
        assertThat(migrations("db/migration").migrate().block(WAIT)).isEqualTo(migrations.latestVersion());
    }

    private SchemaMigrations migrations(String location) {
        return new SchemaMigrations(database.connections(), location, Clock.systemUTC());
    }

    private List<String> strings(String sql) {
        return db.sql(sql).map(row -> String.valueOf(row.get("v", Object.class))).all().collectList().block(WAIT);
    }
}
