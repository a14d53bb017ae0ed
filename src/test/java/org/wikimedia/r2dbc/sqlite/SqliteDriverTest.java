package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.ValidationDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteDriverTest {

    @TempDir
    Path dir;
    private final List<SqliteConnectionFactory> factories = new ArrayList<>();

    @AfterEach
    void closeFactories() {
        factories.forEach(SqliteConnectionFactory::close);
    }

    private SqliteConnectionFactory factory(String url) {
        SqliteConnectionFactory factory = (SqliteConnectionFactory) ConnectionFactories.get(url);
        factories.add(factory);
        return factory;
    }

    private SqliteConnectionFactory fileFactory() {
        return factory("r2dbc:sqlite://" + dir.resolve("d.db"));
    }

    private static <T> T withConnection(ConnectionFactory factory, Class<T> type, Function<Connection, Mono<T>> work) {
        return Mono.usingWhen(factory.create(), work, Connection::close).block();
    }

    private static <T> Mono<T> one(Connection connection, String sql, Class<T> type) {
        return Flux.from(connection.createStatement(sql).execute())
            .concatMap(result -> result.map(row -> row.get(0, type)))
            .single();
    }

    @Test
    void urlFormsOpenTheRightDatabase() throws Exception {
        Path absolute = dir.resolve("new-dir/abs.db");
        withConnection(factory("r2dbc:sqlite://" + absolute), Long.class,
            c -> SqliteTestSupport.update(c.createStatement("CREATE TABLE a (x)")));
        assertThat(absolute).exists();
        try (var jdbc = DriverManager.getConnection("jdbc:sqlite:" + absolute);
             var rs = jdbc.createStatement().executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }

        SqliteConfiguration relative = SqliteConnectionFactoryProvider.toConfiguration(
            ConnectionFactoryOptions.parse("r2dbc:sqlite://./data/rel.db"));
        assertThat(relative.path()).isEqualTo(Path.of("data/rel.db").toAbsolutePath());
        SqliteConfiguration relativeDir = SqliteConnectionFactoryProvider.toConfiguration(
            ConnectionFactoryOptions.parse("r2dbc:sqlite://data/rel.db?busyTimeout=250&journalMode=delete&readOnly=true"
                + "&readers=1&synchronous=full"));
        assertThat(relativeDir.path()).isEqualTo(Path.of("data/rel.db").toAbsolutePath());
        assertThat(relativeDir.busyTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(relativeDir.journalMode()).isEqualTo("DELETE");
        assertThat(relativeDir.synchronous()).isEqualTo("FULL");
        assertThat(relativeDir.readOnly()).isTrue();
        assertThat(relativeDir.readers()).as("no readers beside the writer without WAL").isZero();

        for (String memory : List.of("r2dbc:sqlite:memory://one", "r2dbc:sqlite:///:memory:")) {
            SqliteConnectionFactory inMemory = factory(memory);
            assertThat(inMemory.configuration().inMemory()).isTrue();
            assertThat(withConnection(inMemory, Long.class, c -> SqliteTestSupport.update(c.createStatement("CREATE TABLE m (x)"))
                .then(SqliteTestSupport.update(c.createStatement("INSERT INTO m VALUES (1), (2)")))
                .then(SqliteTestSupport.queryLong(c, "SELECT count(*) FROM m")))).isEqualTo(2L);
        }
    }

    @Test
    void invalidUrlsAndOptionsNameTheProblem() {
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?busyTimeout=soon"))
            .hasMessageContaining("busyTimeout");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?journalMode=fast"))
            .hasMessageContaining("journalMode");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?readOnly=maybe"))
            .hasMessageContaining("readOnly");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:///x.db?busytimeout=5s"))
            .hasMessageContaining("Unknown SQLite option 'busytimeout'");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite:tcp://host/x.db"))
            .hasMessageContaining("protocol 'tcp'");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite://host:5432/x.db"))
            .hasMessageContaining("port");
        assertThatThrownBy(() -> ConnectionFactories.get("r2dbc:sqlite://"))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void metadataNamesSqlite() {
        SqliteConnectionFactory factory = fileFactory();
        assertThat(factory.getMetadata().getName()).isEqualTo("SQLite");
        Connection connection = factory.create().block();
        assertThat(connection.getMetadata().getDatabaseProductName()).isEqualTo("SQLite");
        assertThat(connection.getMetadata().getDatabaseVersion()).startsWith("3.");
        assertThat(connection.getTransactionIsolationLevel()).isEqualTo(IsolationLevel.SERIALIZABLE);
        Mono.from(connection.close()).block();
    }

    @Test
    void closeIsIdempotentAndAClosedConnectionFailsFast() {
        Connection connection = fileFactory().create().block();
        StepVerifier.create(Mono.from(connection.close()).then(Mono.from(connection.close()))).verifyComplete();
        assertThatThrownBy(() -> connection.createStatement("SELECT 1")).isInstanceOf(IllegalStateException.class);
        StepVerifier.create(connection.beginTransaction()).verifyError(R2dbcNonTransientResourceException.class);
        StepVerifier.create(connection.validate(ValidationDepth.REMOTE)).expectNext(false).verifyComplete();
    }

    @Test
    void closedFactoryRefusesConnectionsAndStopsItsThreads() throws Exception {
        SqliteConnectionFactory factory = fileFactory();
        Connection connection = factory.create().block();
        SqliteEngine engine = ((SqliteConnection) connection).engine();
        factory.close();
        factory.close();
        assertThat(engine.awaitTermination(60_000)).as("worker threads ended").isTrue();
        StepVerifier.create(factory.create()).verifyError(R2dbcNonTransientResourceException.class);
        StepVerifier.create(Flux.from(connection.createStatement("SELECT 1").execute()))
            .verifyError(R2dbcNonTransientResourceException.class);
    }

    @Test
    void typesMapBothWays() {
        SqliteConnectionFactory factory = fileFactory();
        UUID uuid = UUID.randomUUID();
        OffsetDateTime odt = OffsetDateTime.of(2026, 11, 22, 1, 2, 3, 0, ZoneOffset.ofHours(2));
        Row row = withConnection(factory, Row.class, c -> SqliteTestSupport.update(c.createStatement(
                "CREATE TABLE types (i INTEGER, b BOOLEAN, big BIGINT, r REAL, t TEXT, u TEXT, d TEXT, dt TEXT, "
                    + "o TEXT, ins TEXT, tm TEXT, bl BLOB, dec NUMERIC, n INTEGER)"))
            .then(SqliteTestSupport.update(c.createStatement("INSERT INTO types VALUES "
                    + "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
                .bind(0, 42).bind(1, true).bind(2, 5_000_000_000L).bind(3, 2.5).bind(4, "text")
                .bind(5, uuid).bind(6, LocalDate.of(2026, 11, 22)).bind(7, LocalDateTime.of(2026, 11, 22, 1, 2, 3))
                .bind(8, odt).bind(9, Instant.parse("2026-11-22T00:00:00Z")).bind(10, LocalTime.of(1, 2, 3))
                .bind(11, ByteBuffer.wrap(new byte[] {1, 2, 3})).bind(12, new BigDecimal("12.50"))
                .bindNull(13, Integer.class)))
            .thenMany(Flux.from(c.createStatement("SELECT * FROM types").execute())
                .concatMap(result -> result.map((r, metadata) -> r)))
            .single());

        assertThat(row.get("i")).isEqualTo(42);
        assertThat(row.get("i", Long.class)).isEqualTo(42L);
        assertThat(row.get("i", Short.class)).isEqualTo((short) 42);
        assertThat(row.get("b")).isEqualTo(true);
        assertThat(row.get("i", Boolean.class)).isTrue();
        assertThat(row.get("big")).isEqualTo(5_000_000_000L);
        assertThat(row.get("r")).isEqualTo(2.5);
        assertThat(row.get("r", Float.class)).isEqualTo(2.5f);
        assertThat(row.get("r", BigDecimal.class)).isEqualByComparingTo("2.5");
        assertThat(row.get("t")).isEqualTo("text");
        assertThat(row.get("u", UUID.class)).isEqualTo(uuid);
        assertThat(row.get("d", LocalDate.class)).isEqualTo(LocalDate.of(2026, 11, 22));
        assertThat(row.get("dt", LocalDateTime.class)).isEqualTo(LocalDateTime.of(2026, 11, 22, 1, 2, 3));
        assertThat(row.get("o", OffsetDateTime.class)).isEqualTo(odt);
        assertThat(row.get("ins", Instant.class)).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        assertThat(row.get("tm", LocalTime.class)).isEqualTo(LocalTime.of(1, 2, 3));
        assertThat(row.get("bl")).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(row.get("bl", byte[].class)).containsExactly(1, 2, 3);
        assertThat(Flux.from(row.get("bl", Blob.class).stream()).blockLast()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(Flux.from(row.get("t", Clob.class).stream()).blockLast()).hasToString("text");
        assertThat(row.get("dec", BigDecimal.class)).isEqualByComparingTo("12.5");
        assertThat(row.get("n")).isNull();
        assertThat(row.getMetadata().getColumnMetadata("big").getJavaType()).isEqualTo(Long.class);
        assertThat(row.getMetadata().getColumnMetadata("T").getType().getName()).isEqualTo("TEXT");
        assertThatThrownBy(() -> row.get("t", Integer.class)).isInstanceOf(IllegalArgumentException.class);

        // SQLite's own datetime() text (space separator, UTC) reads as java.time too.
        LocalDateTime now = withConnection(factory, LocalDateTime.class, c -> one(c, "SELECT datetime('2026-11-22 03:04:05')",
            LocalDateTime.class));
        assertThat(now).isEqualTo(LocalDateTime.of(2026, 11, 22, 3, 4, 5));
    }

    @Test
    void placeholdersOfEveryStyleBind() {
        SqliteConnectionFactory factory = fileFactory();
        assertThat(withConnection(factory, Long.class, c -> Flux.from(c.createStatement("SELECT ?1 + ?2 + ?1").bind(0, 1)
                .bind(1, 10).execute())
            .concatMap(r -> r.map(row -> row.get(0, Long.class))).single())).isEqualTo(12L);
        assertThat(withConnection(factory, String.class, c -> Flux.from(c.createStatement("SELECT ? || ?").bind(0, "a")
                .bind(1, "b").execute())
            .concatMap(r -> r.map(row -> row.get(0, String.class))).single())).isEqualTo("ab");
        assertThat(withConnection(factory, Long.class, c -> Flux.from(c.createStatement("SELECT :x * 2 + $y + :x")
                .bind("x", 5).bind("$y", 1).execute())
            .concatMap(r -> r.map(row -> row.get(0, Long.class))).single())).isEqualTo(16L);
        assertThat(withConnection(factory, String.class, c -> Flux.from(c.createStatement("SELECT '?1 :x' || ?1 -- ?2\n")
                .bind(0, "!").execute())
            .concatMap(r -> r.map(row -> row.get(0, String.class))).single())).isEqualTo("?1 :x!");
    }

    @Test
    void batchesReturningAndRowsUpdated() {
        SqliteConnectionFactory factory = fileFactory();
        SqliteTestSupport.run(factory, "CREATE TABLE job (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)");
        Connection c = factory.create().block();
        List<Object> seen = Flux.<Object>concat(
                Flux.from(c.createStatement("INSERT INTO job (name) VALUES (?1)")
                        .bind(0, "a").add().bind(0, "b").add().bind(0, "c").execute())
                    .concatMap(Result::getRowsUpdated),
                Flux.from(c.createStatement("INSERT INTO job (name) VALUES (?1)").bind(0, "d")
                        .returnGeneratedValues("id").execute())
                    .concatMap(r -> r.map(row -> row.get("id", Long.class))),
                Flux.from(c.createStatement("UPDATE job SET name = upper(name) WHERE id > 2").execute())
                    .concatMap(Result::getRowsUpdated),
                Flux.from(c.createBatch().add("DELETE FROM job WHERE id = 1").add("SELECT count(*) FROM job")
                        .execute())
                    .concatMap(r -> r.flatMap(segment -> segment instanceof Result.UpdateCount
                        ? Mono.just("deleted " + ((Result.UpdateCount) segment).value())
                        : Mono.just("count " + ((Result.RowSegment) segment).row().get(0)))))
            .collectList()
            .block();
        Mono.from(c.close()).block();
        assertThat(seen).containsExactly(1L, 1L, 1L, 4L, 2L, "deleted 1", "count 3");
    }

    @Test
    void errorsMapToTheR2dbcTree() {
        SqliteConnectionFactory factory = fileFactory();
        SqliteTestSupport.run(factory, "CREATE TABLE u (id INTEGER PRIMARY KEY, name TEXT UNIQUE)",
            "CREATE TABLE child (u INTEGER REFERENCES u(id))", "INSERT INTO u VALUES (1, 'a')");
        R2dbcException constraint = error(factory, "INSERT INTO u VALUES (2, 'a')");
        assertThat(constraint).isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(constraint.getSqlState()).isEqualTo("23000");
        assertThat(constraint.getMessage()).contains("UNIQUE constraint failed");
        assertThat(constraint.getSql()).isEqualTo("INSERT INTO u VALUES (2, 'a')");
        assertThat(error(factory, "INSERT INTO child VALUES (99)"))
            .as("foreign keys are on").isInstanceOf(R2dbcDataIntegrityViolationException.class);
        List<Object> batch = Mono.usingWhen(factory.create(),
                c -> Flux.from(c.createStatement("INSERT INTO u VALUES (?1, ?2)")
                        .bind(0, 2).bind(1, "b").add().bind(0, 3).bind(1, "a").add().bind(0, 4).bind(1, "c").execute())
                    .concatMap(Result::getRowsUpdated)
                    .<Object>map(count -> count)
                    .onErrorResume(e -> Mono.just(e))
                    .collectList(),
                Connection::close)
            .block();
        assertThat(batch).hasSize(2);
        assertThat(batch.get(0)).isEqualTo(1L);
        assertThat(batch.get(1)).isInstanceOf(R2dbcDataIntegrityViolationException.class);
        assertThat(((R2dbcException) batch.get(1)).getMessage()).contains("UNIQUE");
        R2dbcException grammar = error(factory, "SELEC 1");
        assertThat(grammar).isInstanceOf(R2dbcBadGrammarException.class).hasMessageContaining("syntax error");
        assertThat(grammar.getSqlState()).isEqualTo("42000");
        assertThat(error(factory, "SELECT nope FROM u")).isInstanceOf(R2dbcBadGrammarException.class);
    }

    @Test
    void anotherProcessHoldingTheWriteLockSurfacesAsTransientAfterTheBusyTimeout() throws Exception {
        Path db = dir.resolve("locked.db");
        SqliteConnectionFactory factory = factory("r2dbc:sqlite://" + db + "?busyTimeout=100");
        SqliteTestSupport.run(factory, "CREATE TABLE t (x)");
        try (var other = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            other.createStatement().execute("BEGIN IMMEDIATE");
            assertThat(error(factory, "INSERT INTO t VALUES (1)")).isInstanceOf(R2dbcTransientResourceException.class)
                .hasMessageContaining("SQLITE_BUSY");
            other.createStatement().execute("ROLLBACK");
        }
    }

    @Test
    void readOnlyDatabasesRefuseWrites() {
        Path db = dir.resolve("ro.db");
        SqliteTestSupport.run(factory("r2dbc:sqlite://" + db), "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)");
        SqliteConnectionFactory readOnly = factory("r2dbc:sqlite://" + db + "?readOnly=true");
        assertThat(SqliteTestSupport.queryLong(readOnly, "SELECT count(*) FROM t")).isEqualTo(1L);
        assertThat(error(readOnly, "INSERT INTO t VALUES (2)")).isInstanceOf(R2dbcPermissionDeniedException.class);
    }

    @Test
    void otherJournalModesWorkThroughTheWriterAlone() throws Exception {
        Path db = dir.resolve("delete.db");
        SqliteConnectionFactory factory = factory("r2dbc:sqlite://" + db + "?journalMode=DELETE");
        SqliteTestSupport.run(factory, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)");
        assertThat(SqliteTestSupport.queryLong(factory, "SELECT count(*) FROM t")).isEqualTo(1L);
        assertThat(Files.exists(dir.resolve("delete.db-wal"))).isFalse();
    }

    @Test
    void savepointsAndAutoCommitOff() {
        SqliteConnectionFactory factory = fileFactory();
        SqliteTestSupport.run(factory, "CREATE TABLE t (x INTEGER)");
        Connection connection = factory.create().block();
        StepVerifier.create(Mono.from(connection.setAutoCommit(false))
                .then(SqliteTestSupport.update(connection.createStatement("INSERT INTO t VALUES (1)")))
                .then(Mono.from(connection.createSavepoint("s1")))
                .then(SqliteTestSupport.update(connection.createStatement("INSERT INTO t VALUES (2)")))
                .then(Mono.from(connection.rollbackTransactionToSavepoint("s1")))
                .then(Mono.from(connection.releaseSavepoint("s1")))
                .then(Mono.from(connection.commitTransaction()))
                .then(SqliteTestSupport.queryLong(connection, "SELECT sum(x) FROM t")))
            .expectNext(1L)
            .verifyComplete();
        assertThat(connection.isAutoCommit()).isFalse();
        StepVerifier.create(connection.setTransactionIsolationLevel(IsolationLevel.READ_COMMITTED))
            .verifyErrorMatches(e -> e.getMessage().contains("SERIALIZABLE"));
        Mono.from(connection.close()).block();
        // The uncommitted implicit transaction of the last query was rolled back on close.
        assertThat(SqliteTestSupport.queryLong(factory, "SELECT count(*) FROM t")).isEqualTo(1L);
    }

    private static R2dbcException error(ConnectionFactory factory, String sql) {
        Throwable error = Mono.usingWhen(factory.create(),
                c -> Flux.from(c.createStatement(sql).execute()).concatMap(Result::getRowsUpdated).then(),
                Connection::close)
            .map(v -> (Throwable) null)
            .onErrorResume(e -> Mono.just(e))
            .block();
        assertThat(error).as("error from " + sql).isInstanceOf(R2dbcException.class);
        return (R2dbcException) error;
    }

}
