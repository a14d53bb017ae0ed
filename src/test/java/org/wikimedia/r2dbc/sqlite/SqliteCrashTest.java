package org.wikimedia.r2dbc.sqlite;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM killed (SIGKILL) in the middle of a transaction leaves an intact database with only committed rows. */
class SqliteCrashTest {

    @TempDir
    Path dir;

    @Test
    void killedMidTransactionLeavesOnlyCommittedRows() throws Exception {
        Path db = dir.resolve("crash.db");
        int committed = 200;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
            CrashingWriter.class.getName(), db.toString(), String.valueOf(committed)))
            .redirectErrorStream(true)
            .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("IN_TRANSACTION")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child reached its transaction; output:\n" + seen).isEqualTo("IN_TRANSACTION");
            child.destroyForcibly();  // SIGKILL on Linux: no shutdown hooks, no orderly close
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);

        try (Connection jdbc = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement statement = jdbc.createStatement()) {
            try (ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            try (ResultSet rs = statement.executeQuery("SELECT count(*), min(i), max(i), "
                + "sum(payload LIKE 'committed-%') FROM t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(committed);
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getLong(3)).isEqualTo(committed - 1);
                assertThat(rs.getLong(4)).isEqualTo(committed);
            }
        }
    }
}
