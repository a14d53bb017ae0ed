package org.wikimedia.spiderpig.store.r2dbc.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.TestScripts;

/**
 * Figures for docs/benchmarks/move-to-postgresql.md: how long the command takes to move a data directory whose job
 * logged 100,000 lines (scap-like lines of ~90 characters). Skipped unless {@code -Dspiderpig.benchmark=true}
 * ({@code mvn -Pbench}) and {@code SPIDERPIG_TEST_POSTGRES_URL} names a PostgreSQL server:
 * <pre>
 * mvn -B -Pbench -Dfrontend.skip test -Dtest=MoveToPostgresqlBenchmark 2>&1 | grep BENCH
 * </pre>
 * {@code -Dspiderpig.move.lines=1000000} for a million lines.
 */
class MoveToPostgresqlBenchmark {

    private static final String TEXT = "sync-masters: 53% (in-flight: 4; ok: 118; fail: 0; left: 104) mw2291.codfw.wmnet ok";
    private static final int LINES = Integer.getInteger("spiderpig.move.lines", 100_000);

    @Test
    void movesAHundredThousandLineLog() throws Exception {
        assumeTrue(Boolean.getBoolean("spiderpig.benchmark"), "benchmarks run with -Dspiderpig.benchmark=true");
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            Path data = TestScripts.tempDirectory("spiderpig-move-bench");
            MoveToPostgresqlTest.dataDirectoryWithOneLog(data, LINES, TEXT);

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
}
