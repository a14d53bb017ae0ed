package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.support.Api;
import org.wikimedia.spiderpig.support.InProcessServer;
import org.wikimedia.spiderpig.support.TestScripts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A database as the release before versioned migrations left it (its schema.sql, applied by Spring's initializer,
 * with jobs and prompts in it) is upgraded by the new code at start, and every job reads back as it was.
 */
class SchemaUpgradeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theNewReleaseStartsOnTheLastReleasesDatabaseAndReadsEveryJobBack() throws Exception {
        Path data = TestScripts.tempDirectory("spiderpig-upgrade");
        List<OldJob> before = previousReleasesDatabase(data.resolve(StoreConfiguration.DATABASE_FILE));

        try (InProcessServer server = InProcessServer.start(data)) {
            Api api = server.api();
            JsonNode listed = api.get("/api/jobs?limit=100").get("jobs");
            assertThat(listed).hasSize(before.size());
            for (OldJob old : before) {
                JsonNode job = api.job(old.id());
                assertThat(job.get("command").asString()).isEqualTo(old.command());
                assertThat(job.get("description").asString()).isEqualTo(old.description());
                assertThat(job.get("owner").asString()).isEqualTo(old.owner());
                assertThat(job.get("state").asString()).isEqualTo(old.state().wireName());
                assertThat(job.get("parameters").get("changeIds").get(0).asString()).isEqualTo("12345");
                assertThat(Instant.parse(job.get("createdAt").asString())).isEqualTo(old.createdAt());
                assertThat(api.get("/api/jobs/" + old.id() + "/interactions").findValuesAsString("response"))
                        .containsExactly("y");
            }
            long next = api.startBackport("777").get("id").asLong();
            assertThat(next).isGreaterThan(before.get(before.size() - 1).id());
        }

        ConnectionFactory reopened = ConnectionFactories.get("r2dbc:sqlite://" + data.resolve(StoreConfiguration.DATABASE_FILE));
        try {
            List<Long> versions = DatabaseClient.create(reopened).sql("SELECT version FROM schema_version ORDER BY version")
                    .map(row -> row.get("version", Long.class)).all().collectList().block(WAIT);
            assertThat(versions).startsWith(1L, 2L, 3L);
        } finally {
            ((java.io.Closeable) reopened).close();
        }
    }

    /** What a job row of the previous release held, as far as this test reads it back. */
    private record OldJob(long id, String command, String description, String owner, JobState state, Instant createdAt) {
    }

    /**
     * Exactly what the previous release did at start: schema.sql (now V1) through Spring's populator. Its jobs
     * are written as that release wrote them, in plain SQL: today's store reads tables the old one did not have.
     */
    private static List<OldJob> previousReleasesDatabase(Path file) throws Exception {
        ConnectionFactory connections = ConnectionFactories.get("r2dbc:sqlite://" + file);
        try {
            new ResourceDatabasePopulator(new ClassPathResource("db/migration/sqlite/V1__jobs_and_prompts.sql"))
                    .populate(connections).block(WAIT);
            DatabaseClient db = DatabaseClient.create(connections);
            R2dbcInteractionStore interactions = new R2dbcInteractionStore(db, JsonMapper.builder().build());
            List<OldJob> created = new ArrayList<>();
            Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
            for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED)) {
                long id = db.sql("""
                                INSERT INTO jobs (command, parameters, description, owner, concurrency_group, state,
                                                  created_at, started_at, finished_at, exit_code)
                                VALUES ('backport', '{"changeIds":["12345"]}', 'Backport 12345', 'alice', 'backport',
                                        :state, :created, :started, :finished, :exit) RETURNING id""")
                        .bind("state", end.wireName())
                        .bind("created", at.toString())
                        .bind("started", at.plusSeconds(1).toString())
                        .bind("finished", at.plusSeconds(4).toString())
                        .bind("exit", end == JobState.SUCCEEDED ? 0 : 1)
                        .map(row -> row.get("id", Long.class)).one().block(WAIT);
                long prompt = interactions.open(id, "choices", "Continue?", Map.of("Yes", "y", "No", "n"), "n",
                        at.plusSeconds(2)).block(WAIT).id();
                interactions.answer(prompt, "y", "bob", at.plusSeconds(3)).block(WAIT);
                created.add(new OldJob(id, "backport", "Backport 12345", "alice", end, at));
                at = at.plusSeconds(60);
            }
            assertThat(db.sql("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'schema_version'")
                    .map(row -> row.get("n", Long.class)).one().block(WAIT)).isZero();
            return created;
        } finally {
            ((java.io.Closeable) connections).close();
        }
    }
}
