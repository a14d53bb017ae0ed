package org.wikimedia.spiderpig.store.r2dbc.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.eventlog.FileJobEventLogs;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.store.r2dbc.SchemaMigrations;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * Figures for docs/benchmarks/move-to-postgresql.md: how long the command takes to move a data directory whose job
 * logged 100,000 lines (scap-like lines of ~90 characters). Skipped unless {@code -Dspiderpig.benchmark=true}
 * ({@code mvn -Pbench}) and {@code SPIDERPIG_TEST_POSTGRES_URL} names a PostgreSQL server:
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip verify -Dtest=MoveToPostgresqlBenchmark 2>&1 | grep BENCH
 * </pre>
 */
class MoveToPostgresqlBenchmark {

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final String TEXT = "sync-masters: 53% (in-flight: 4; ok: 118; fail: 0; left: 104) mw2291.codfw.wmnet ok";
    private static final int LINES = Integer.getInteger("spiderpig.move.lines", 100_000);

    @Test
    void movesAHundredThousandLineLog() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            Path data = TestScripts.tempDirectory("spiderpig-move-bench");
            dataDirectoryWithOneLog(data, LINES);

            long started = System.nanoTime();
            MoveToPostgresqlTest.Run moved = MoveToPostgresqlTest.move(data, postgres.url(), Map.of(
                    MoveToPostgresqlCommand.USERNAME, postgres.username(),
                    MoveToPostgresqlCommand.PASSWORD, postgres.password()));
            double seconds = (System.nanoTime() - started) / 1e9;

            assertThat(moved.exitCode()).as(moved.toString()).isZero();
            System.out.print(moved.out());
            System.out.printf("BENCH move-to-postgresql: one job of %,d lines moved in %.2f s (%,.0f lines/s),"
                    + " schema migrations and checks included%n", LINES, seconds, LINES / seconds);
        }
    }

    private static void dataDirectoryWithOneLog(Path data, int lines) throws Exception {
        ConnectionFactory sqlite = ConnectionFactories.get("r2dbc:sqlite://" + data.resolve("spiderpig.db"));
        new SchemaMigrations(sqlite, "db/migration", Clock.systemUTC()).migrate().block(WAIT);
        DatabaseClient.create(sqlite).sql("INSERT INTO jobs (command, parameters, description, owner,"
                        + " concurrency_group, state, created_at, finished_at) VALUES ('printer', '{}', 'a long log',"
                        + " 'alice', 'printer', 'succeeded', '2026-11-30T08:00:00Z', '2026-11-30T09:00:00Z')")
                .then().block(WAIT);
        ((java.io.Closeable) sqlite).close();
        LogStorage log = FileJobEventLogs.storage(data.resolve(FileJobEventLogs.DIRECTORY), 1, new EventJson());
        java.nio.file.Files.createDirectories(data.resolve(FileJobEventLogs.DIRECTORY));
        LogTip tip = log.recover();
        Instant at = Instant.parse("2026-11-30T08:00:00Z");
        List<JobEvent> batch = new ArrayList<>();
        for (int line = 1; line <= lines + 1; line++) {
            batch.add(line <= lines
                    ? new JobEvent(1, line, at.plusMillis(line), new OutputLine(line, OutputLine.Stream.STDOUT,
                            TEXT + " " + line, false))
                    : new JobEvent(1, line, at.plusMillis(line), new JobEnded(JobState.SUCCEEDED, 0)));
            if (batch.size() == 10_000 || line == lines + 1) {
                tip = log.write(batch, tip);
                batch.clear();
            }
        }
    }
}
