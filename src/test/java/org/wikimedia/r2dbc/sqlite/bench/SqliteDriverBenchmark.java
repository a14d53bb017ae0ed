package org.wikimedia.r2dbc.sqlite.bench;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConfig;
import org.wikimedia.r2dbc.sqlite.SqliteConnectionFactory;
import org.wikimedia.r2dbc.sqlite.TestFiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The driver against plain sqlite-jdbc on this machine: batched inserts per second and point selects per second,
 * one client and eight concurrent clients. JDBC and driver runs alternate, several rounds each, and the medians
 * are compared, so that load from other processes hits both alike. Not part of {@code mvn verify}; run it with
 * {@link #COMMAND}. It prints the table of docs/benchmarks/sqlite-driver.md and writes it to
 * {@code target/benchmarks/sqlite-driver.md}, to be copied into the doc by hand.
 */
class SqliteDriverBenchmark {

    static final String COMMAND = "mvn -B -Pbench -Dfrontend.skip verify -Dtest=SqliteDriverBenchmark";

    private static final int BATCH = 1_000;
    private static final int READERS = 8;
    private static final int SELECT_ROWS = 100_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final long WARMUP_MILLIS = Long.getLong("bench.warmupMillis", 3_000);
    private static final long MEASURE_MILLIS = Long.getLong("bench.measureMillis", 1_500);
    private static final String INSERT = "INSERT INTO bench (name, value) VALUES (?1, ?2)";
    private static final String SELECT = "SELECT name, value FROM bench WHERE id = ?1";
    private static final String CREATE = "CREATE TABLE bench (id INTEGER PRIMARY KEY, name TEXT NOT NULL, value INTEGER)";

    /** One implementation of one workload: runs for about {@code millis} and returns operations per second. */
    interface Workload {
        double run(long millis) throws Exception;
    }

    @Test
    void driverAgainstJdbc() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Pbench");
        Path dir = Files.createTempDirectory("sqlite-bench");
        List<String[]> rows = new ArrayList<>();
        try {
            for (int clients : new int[] {1, 8}) {
                Path jdbcDb = dir.resolve("jdbc-insert-" + clients + ".db");
                Path driverDb = dir.resolve("driver-insert-" + clients + ".db");
                createTable(jdbcDb);
                createTable(driverDb);
                try (SqliteConnectionFactory factory = factory(driverDb)) {
                    double[] rates = compare(millis -> jdbcInserts(jdbcDb, clients, millis),
                        millis -> driverInserts(factory, clients, millis));
                    rows.add(row("batched inserts (rows/s, " + BATCH + " per transaction)", clients, rates, 0.70));
                }
            }
            Path selectDb = dir.resolve("select.db");
            createTable(selectDb);
            populate(selectDb);
            for (int clients : new int[] {1, 8}) {
                try (SqliteConnectionFactory factory = factory(selectDb)) {
                    double[] rates = compare(millis -> jdbcSelects(selectDb, clients, millis),
                        millis -> driverSelects(factory, clients, millis));
                    rows.add(row("point selects (queries/s)", clients, rates, 0.50));
                }
            }
        } finally {
            TestFiles.deleteRecursively(dir);
        }
        String report = report(rows);
        System.out.println(report);
        Path out = Path.of("target", "benchmarks", "sqlite-driver.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    /** Warms both up, then alternates rounds; returns medians {jdbc, driver}, then jdbc min, max, driver min, max. */
    private static double[] compare(Workload jdbc, Workload driver) throws Exception {
        jdbc.run(WARMUP_MILLIS);
        driver.run(WARMUP_MILLIS);
        double[] jdbcRates = new double[ROUNDS];
        double[] driverRates = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            jdbcRates[round] = jdbc.run(MEASURE_MILLIS);
            driverRates[round] = driver.run(MEASURE_MILLIS);
        }
        return new double[] {median(jdbcRates), median(driverRates), min(jdbcRates), max(jdbcRates),
            min(driverRates), max(driverRates)};
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String[] row(String what, int clients, double[] rates, double goal) {
        double ratio = rates[1] / rates[0];
        return new String[] {what, String.valueOf(clients),
            format(rates[0]) + " (" + format(rates[2]) + "–" + format(rates[3]) + ")",
            format(rates[1]) + " (" + format(rates[4]) + "–" + format(rates[5]) + ")",
            String.format(Locale.ROOT, "%.0f%%", ratio * 100),
            String.format(Locale.ROOT, "≥ %.0f%%: %s", goal * 100, ratio >= goal ? "met" : "MISSED")};
    }

    // --- plain sqlite-jdbc: one connection per client thread, as a JDBC application would do it

    private static java.sql.Connection jdbcConnection(Path db) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(60_000);
        return config.createConnection("jdbc:sqlite:" + db);
    }

    private static double jdbcInserts(Path db, int clients, long millis) throws Exception {
        return runThreads(clients, millis, deadline -> {
            long rows = 0;
            try (java.sql.Connection c = jdbcConnection(db);
                 PreparedStatement insert = c.prepareStatement(INSERT)) {
                c.setAutoCommit(false);
                while (System.nanoTime() < deadline) {
                    for (int i = 0; i < BATCH; i++) {
                        insert.setString(1, "name-" + i);
                        insert.setLong(2, i);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    c.commit();
                    rows += BATCH;
                }
            }
            return rows;
        });
    }

    private static double jdbcSelects(Path db, int clients, long millis) throws Exception {
        return runThreads(clients, millis, deadline -> {
            long queries = 0;
            try (java.sql.Connection c = jdbcConnection(db);
                 PreparedStatement select = c.prepareStatement(SELECT)) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    select.setLong(1, 1 + random.nextInt(SELECT_ROWS));
                    try (ResultSet rs = select.executeQuery()) {
                        if (!rs.next() || rs.getString(1) == null) {
                            throw new IllegalStateException("row missing");
                        }
                    }
                    queries++;
                }
            }
            return queries;
        });
    }

    /** Runs one loop per client thread until the deadline; counts what they finished. */
    private static double runThreads(int clients, long millis, ClientLoop loop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            long start = System.nanoTime();
            long deadline = start + millis * 1_000_000;
            List<Future<Long>> runs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                runs.add(pool.submit(() -> loop.run(deadline)));
            }
            long total = 0;
            for (Future<Long> f : runs) {
                total += f.get();
            }
            return total / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    interface ClientLoop {
        long run(long deadline) throws Exception;
    }

    // --- the driver: each client is a sequential reactive loop on its own logical connection

    private static double driverInserts(SqliteConnectionFactory factory, int clients, long millis) {
        return runReactive(factory, clients, millis, c -> {
            Statement insert = c.createStatement(INSERT);
            for (int i = 0; i < BATCH; i++) {
                insert.bind(0, "name-" + i).bind(1, (long) i);
                if (i < BATCH - 1) {
                    insert.add();
                }
            }
            return Mono.from(c.beginTransaction())
                .thenMany(insert.execute())
                .concatMap(Result::getRowsUpdated)
                .then(Mono.from(c.commitTransaction()))
                .thenReturn((long) BATCH);
        });
    }

    private static double driverSelects(SqliteConnectionFactory factory, int clients, long millis) {
        return runReactive(factory, clients, millis, c -> Flux.from(c.createStatement(SELECT)
                .bind(0, 1L + ThreadLocalRandom.current().nextInt(SELECT_ROWS)).execute())
            .concatMap(result -> result.map(row -> row.get(0, String.class)))
            .single()
            .thenReturn(1L));
    }

    private static SqliteConnectionFactory factory(Path db) {
        // As many read connections as the JDBC run has connections (the default is 4).
        return (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite://" + db + "?busyTimeout=60s&readers="
            + READERS);
    }

    private static double runReactive(SqliteConnectionFactory factory, int clients, long millis,
                                      Function<Connection, Mono<Long>> operation) {
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000;
        long done = Flux.range(0, clients)
            .flatMap(client -> Mono.usingWhen(factory.create(),
                c -> Mono.defer(() -> operation.apply(c))
                    .repeat(() -> System.nanoTime() < deadline)
                    .reduce(0L, Long::sum),
                Connection::close), clients)
            .reduce(0L, Long::sum)
            .block();
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static void createTable(Path db) throws SQLException {
        try (java.sql.Connection c = jdbcConnection(db);
             java.sql.Statement s = c.createStatement()) {
            s.execute(CREATE);
        }
    }

    private static void populate(Path db) throws SQLException {
        try (java.sql.Connection c = jdbcConnection(db);
             java.sql.Statement s = c.createStatement()) {
            s.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT " + SELECT_ROWS + ") "
                + "INSERT INTO bench SELECT x, 'name-' || x, x FROM n");
        }
    }

    private static String format(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String report(List<String[]> rows) {
        StringBuilder md = new StringBuilder();
        md.append("# SQLite R2DBC driver vs plain sqlite-jdbc\n\n");
        md.append("Produced by (from the repository root; it prints this page and writes it to "
            + "`target/benchmarks/sqlite-driver.md`):\n\n```\n").append(COMMAND).append("\n```\n\n");
        md.append("Run on ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .append(", ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (shared with other "
                + "builds), Java ").append(System.getProperty("java.version")).append(", sqlite-jdbc 3.54.1.0")
            .append(". Each workload: ").append(WARMUP_MILLIS).append(" ms warm-up of each side, then ")
            .append(ROUNDS).append(" alternating rounds of ").append(MEASURE_MILLIS)
            .append(" ms per side; the table shows the medians, and in brackets the slowest and fastest round (the "
                + "machine is shared with other builds, so single rounds swing widely). Database files in a temp "
                + "directory, WAL, synchronous=NORMAL, foreign_keys=ON for both.\n\n");
        md.append("JDBC clients are threads with one sqlite-jdbc connection each, using `addBatch`/`executeBatch` "
            + "and one prepared statement. Driver clients are sequential reactive loops, each on its own R2DBC "
            + "connection from one connection factory opened with `readers=" + READERS + "` (as many SQLite "
            + "read connections as the JDBC run has connections; the default is 4); a batch is one statement with "
            + BATCH + " `bind`/`add` sets, executed between `beginTransaction` and `commitTransaction`, every "
            + "result's `getRowsUpdated` consumed; a point select maps the row to its `name`.\n\n");
        md.append("| workload | clients | sqlite-jdbc median (range) | driver median (range) | driver/JDBC | goal |\n");
        md.append("|---|---:|---:|---:|---:|---|\n");
        for (String[] row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return md.toString();
    }
}
