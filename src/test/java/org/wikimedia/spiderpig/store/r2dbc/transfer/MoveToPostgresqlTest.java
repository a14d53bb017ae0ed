package org.wikimedia.spiderpig.store.r2dbc.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.eventlog.FileJobEventLogs;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.eventlog.LogTip;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.store.AuditStore.AuditEntry;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.TokenStore;
import org.wikimedia.spiderpig.store.r2dbc.SchemaMigrations;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.InProcessServer;
import org.wikimedia.spiderpig.support.PostgresTestDatabase;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;

/**
 * A data directory made by a real server (jobs, an answered prompt, audit entries, a token, logs with colours,
 * a 60,000-character line, tabs, backslashes, a redrawn line and non-BMP characters) moved into PostgreSQL by the command: a server started on that database with the
 * same data directory serves the same jobs, logs and audit trail, and gives a new job a new id. And the cases
 * where the command must refuse, having written nothing.
 */
class MoveToPostgresqlTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A database no test reaches: the refusals come before any connection. */
    private static final String NOWHERE = "r2dbc:postgresql://127.0.0.1:1/nowhere";
    private static final Map<String, String> NO_ONE = Map.of(MoveToPostgresqlCommand.USERNAME, "nobody");
    private static final String LONG_LINE = "x".repeat(60_000);

    @Test
    void aMovedDataDirectoryServesTheSameJobsLogsAndAuditFromPostgresql() throws Exception {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            Path data = TestScripts.tempDirectory("spiderpig-move");
            String[] jobTypes = jobTypes(data);
            Map<Long, JsonNode> jobsBefore = new HashMap<>();
            Map<Long, JsonNode> logsBefore = new HashMap<>();
            List<AuditEntry> auditBefore;
            String tokenHash = "a".repeat(64);
            long deletedJob;
            try (InProcessServer server = InProcessServer.start(data, jobTypes)) {
                Api api = server.api();
                long printed = api.start("printer", Map.of()).get("id").asLong();
                api.awaitState(printed, "succeeded");
                long asked = api.start("asker", Map.of()).get("id").asLong();
                JsonNode prompt = api.awaitPrompt(asked);
                api.answer(asked, prompt.get("id").asLong(), "y").expectStatus().is2xxSuccessful();
                api.awaitState(asked, "succeeded");
                // The newest id is gone, as retention would remove it: PostgreSQL must not give it again.
                deletedJob = api.start("printer", Map.of()).get("id").asLong();
                api.awaitState(deletedJob, "succeeded");
                assertThat(server.bean(org.wikimedia.spiderpig.store.JobStore.class).deleteIfFinished(deletedJob).block(WAIT)).isTrue();

                AuditStore audit = server.bean(AuditStore.class);
                audit.append(Instant.now().truncatedTo(ChronoUnit.MILLIS), "alice", "job.answer", "127.0.0.1", asked,
                        "answered y").block(WAIT);
                audit.append(Instant.now().truncatedTo(ChronoUnit.MILLIS), "bob", "token.create", null, null, null)
                        .block(WAIT);
                server.bean(TokenStore.class).create(tokenHash, "alice", "ci", "deployer", Instant.now(),
                        Instant.now().plus(Duration.ofDays(30))).block(WAIT);
                auditBefore = allAudit(audit);
                for (long id : List.of(printed, asked)) {
                    jobsBefore.put(id, api.job(id));
                    logsBefore.put(id, Api.getLarge(baseUrl(server) + "/api/jobs/" + id + "/log"));
                }
            }
            assertThat(logsBefore.values().stream().anyMatch(log -> log.toString().contains(LONG_LINE)))
                    .as("a log holds the 60,000-character line").isTrue();
            // As the log's JSON writes them: a tab, backslashes (COPY's escape character), a redrawn line, and
            // characters beyond the BMP (four UTF-8 bytes each).
            assertThat(logsBefore.values().stream().map(JsonNode::toString).filter(log -> log.contains(
                            "a\\ttab, a backslash \\\\ and the literal \\\\n, \\\\r, \\\\t and \\\\N")
                            && log.contains("\"redrawn at 100%, CRLF at the end\"")
                            && log.contains("\uD83D\uDC37 and \uD834\uDD1E")))
                    .as("a log holds a tab, backslashes, a redrawn line and non-BMP characters").hasSize(1);

            Run moved = move(data, postgres.url(), credentials(postgres));
            assertThat(moved.exitCode()).as(moved.toString()).isZero();
            assertThat(moved.out()).contains("moved 2 jobs").contains("events");

            try (InProcessServer server = InProcessServer.start(data, concat(jobTypes, postgres.serverArguments()))) {
                Api api = server.api();
                assertThat(api.get("/api/jobs?limit=100").get("jobs").valueStream().map(job -> job.get("id").asLong()))
                        .containsExactlyInAnyOrderElementsOf(jobsBefore.keySet());
                for (long id : jobsBefore.keySet()) {
                    assertThat(api.job(id)).isEqualTo(jobsBefore.get(id));
                    assertThat(Api.getLarge(baseUrl(server) + "/api/jobs/" + id + "/log")).isEqualTo(logsBefore.get(id));
                }
                assertThat(allAudit(server.bean(AuditStore.class))).isEqualTo(auditBefore);
                assertThat(server.bean(TokenStore.class).findValid(tokenHash, Instant.now()).block(WAIT))
                        .isNotNull().extracting(TokenStore.StoredToken::owner).isEqualTo("alice");
                long next = api.start("printer", Map.of()).get("id").asLong();
                assertThat(next).isGreaterThan(deletedJob);
                api.awaitState(next, "succeeded");
            }

            Run again = move(data, postgres.url(), credentials(postgres));
            assertThat(again.exitCode()).as(again.toString()).isEqualTo(MoveToPostgresqlCommand.REFUSED);
            assertThat(again.err()).contains("PostgreSQL already holds").contains("rows of jobs");
        }
    }

    @Test
    void aMoveThatFailsLeavesPostgresqlEmptyAndCanBeRunAgain() throws Exception {
        try (PostgresTestDatabase postgres = PostgresTestDatabase.create()) {
            Path data = TestScripts.tempDirectory("spiderpig-move-failing");
            dataDirectoryWithOneLog(data, 1000, "a line");
            // SQLite keeps what its INTEGER column cannot hold as text, PostgreSQL's integer cannot: the records
            // fail, after the log was copied.
            DatabaseClient sqlite = DatabaseClient.create(ConnectionFactories.get("r2dbc:sqlite://"
                    + data.resolve("spiderpig.db")));
            sqlite.sql("UPDATE jobs SET exit_code = 'not a number'").then().block(WAIT);

            Run failed = move(data, postgres.url(), credentials(postgres));

            assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(MoveToPostgresqlCommand.REFUSED);
            assertThat(failed.out()).as("the log was copied before the records failed").contains("job 1: 1,001 events");
            assertThat(failed.err()).contains("failed, nothing of the data directory was left in PostgreSQL");
            DatabaseClient target = DatabaseClient.create(ConnectionFactories.get(postgres.options()));
            for (String table : List.of("job_events", "jobs")) {
                assertThat(target.sql("SELECT COUNT(*) FROM " + table).map(row -> row.get(0, Long.class)).one()
                        .block(WAIT)).as(table).isZero();
            }

            sqlite.sql("UPDATE jobs SET exit_code = 0").then().block(WAIT);
            Run again = move(data, postgres.url(), credentials(postgres));
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out()).contains("moved 1 jobs, 0 other records, 1 logs with 1,001 events");
        }
    }

    @Test
    void refusesWhileAServerRunsOnTheDataDirectory() {
        Path data = TestScripts.tempDirectory("spiderpig-move-running");
        try (InProcessServer server = InProcessServer.start(data)) {
            Run refused = move(data, NOWHERE, NO_ONE);
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(MoveToPostgresqlCommand.REFUSED);
            assertThat(refused.err()).contains("server is running on").contains("stop it first");
        }
    }

    @Test
    void refusesWhileAJobIsQueuedOrRunning() {
        Path data = TestScripts.tempDirectory("spiderpig-move-unfinished");
        InProcessServer.start(data).close();
        DatabaseClient db = DatabaseClient.create(ConnectionFactories.get("r2dbc:sqlite://" + data.resolve("spiderpig.db")));
        for (String state : List.of("succeeded", "running", "queued")) {
            db.sql("INSERT INTO jobs (command, parameters, description, owner, concurrency_group, state, created_at)"
                    + " VALUES ('printer', '{}', 'a job', 'alice', 'printer', '" + state + "', '2026-11-30T08:00:00Z')")
                    .then().block(WAIT);
        }

        Run refused = move(data, NOWHERE, NO_ONE);

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(MoveToPostgresqlCommand.REFUSED);
        assertThat(refused.err()).contains("jobs are not finished: 2 (running), 3 (queued)");
    }

    @Test
    void refusesADirectoryWithoutADatabaseAndAUrlOfAnotherDatabase() {
        Path empty = TestScripts.tempDirectory("spiderpig-move-empty");
        Run notData = move(empty, NOWHERE, NO_ONE);
        assertThat(notData.exitCode()).isEqualTo(MoveToPostgresqlCommand.REFUSED);
        assertThat(notData.err()).contains("not a SpiderPig data directory");

        Run notPostgres = move(empty, "r2dbc:sqlite:///tmp/x.db", NO_ONE);
        assertThat(notPostgres.exitCode()).isEqualTo(2);
        assertThat(notPostgres.err()).contains("must be a PostgreSQL R2DBC URL");
    }

    /** A data directory with one finished job whose log holds {@code lines} lines of {@code text} and its number. */
    static void dataDirectoryWithOneLog(Path data, int lines, String text) throws Exception {
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
                            text + " " + line, false))
                    : new JobEvent(1, line, at.plusMillis(line), new JobEnded(JobState.SUCCEEDED, 0)));
            if (batch.size() == 10_000 || line == lines + 1) {
                tip = log.write(batch, tip);
                batch.clear();
            }
        }
    }

    private static String[] jobTypes(Path data) {
        Path printer = TestScripts.write(data.resolve("scripts"), "printer.sh", """
                printf '\\033[1;32mgreen\\033[0m and \\033[31mred\\033[0m\\n'
                head -c 60000 /dev/zero | tr '\\0' x; echo
                printf 'a\\ttab, a backslash \\\\ and the literal \\\\n, \\\\r, \\\\t and \\\\N\\n'
                printf 'a progress bar at 10%%\\rredrawn at 100%%, CRLF at the end\\r\\n'
                printf 'non-BMP: \\360\\237\\220\\267 and \\360\\235\\204\\236\\n'
                for i in $(seq 1 300); do echo "printed line $i"; done
                """);
        Path asker = TestScripts.write(data.resolve("scripts"), "asker.sh", """
                echo "before the question"
                printf "Proceed? [y/N] "
                read -r answer
                echo "answered $answer"
                """);
        return new String[] {
                "--spiderpig.retention.enabled=false",
                "--spiderpig.jobs.printer.command=" + printer, "--spiderpig.jobs.printer.validator=none",
                "--spiderpig.jobs.asker.command=" + asker, "--spiderpig.jobs.asker.validator=none",
                "--spiderpig.jobs.asker.concurrency-group=asker"};
    }

    private static List<AuditEntry> allAudit(AuditStore audit) {
        return audit.find(new AuditStore.AuditQuery(null, null, null, null, 1000)).collectList().block(WAIT);
    }

    private static String baseUrl(InProcessServer server) {
        return "http://127.0.0.1:" + server.bean(Environment.class).getProperty("local.server.port");
    }

    private static Map<String, String> credentials(PostgresTestDatabase postgres) {
        return Map.of(MoveToPostgresqlCommand.USERNAME, postgres.username(),
                MoveToPostgresqlCommand.PASSWORD, postgres.password());
    }

    private static String[] concat(String[] first, String[] second) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(second));
        return all.toArray(String[]::new);
    }

    record Run(int exitCode, String out, String err) {
    }

    static Run move(Path data, String url, Map<String, String> environment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = MoveToPostgresqlCommand.run(new String[] {"--data-dir", data.toString(), "--to", url},
                environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
