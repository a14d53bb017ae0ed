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
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.store.JobStore.NewJob;
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
        List<Job> before = previousReleasesDatabase(data.resolve(StoreConfiguration.DATABASE_FILE));

        try (InProcessServer server = InProcessServer.start(data)) {
            Api api = server.api();
            JsonNode listed = api.get("/api/jobs?limit=100").get("jobs");
            assertThat(listed).hasSize(before.size());
            for (Job old : before) {
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
            assertThat(versions).startsWith(1L, 2L);
        } finally {
            ((java.io.Closeable) reopened).close();
        }
    }

    /** Exactly what the previous release did at start: schema.sql (now V1) through Spring's populator. */
    private static List<Job> previousReleasesDatabase(Path file) throws Exception {
        ConnectionFactory connections = ConnectionFactories.get("r2dbc:sqlite://" + file);
        try {
            new ResourceDatabasePopulator(new ClassPathResource("db/migration/sqlite/V1__jobs_and_prompts.sql"))
                    .populate(connections).block(WAIT);
            DatabaseClient db = DatabaseClient.create(connections);
            JsonMapper json = JsonMapper.builder().build();
            R2dbcJobStore jobs = new R2dbcJobStore(db, json);
            R2dbcInteractionStore interactions = new R2dbcInteractionStore(db, json);
            List<Job> created = new ArrayList<>();
            Instant at = Instant.parse("2026-01-02T03:04:05.678Z");
            for (JobState end : List.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED, JobState.INTERRUPTED)) {
                long id = jobs.create(new NewJob("backport", Map.of("changeIds", List.of("12345")),
                        "Backport 12345", "alice", "backport", at)).block(WAIT).id();
                jobs.markStarted(id, at.plusSeconds(1)).block(WAIT);
                long prompt = interactions.open(id, "choices", "Continue?", Map.of("Yes", "y", "No", "n"), "n",
                        at.plusSeconds(2)).block(WAIT).id();
                interactions.answer(prompt, "y", "bob", at.plusSeconds(3)).block(WAIT);
                created.add(jobs.finish(id, end, end == JobState.SUCCEEDED ? 0 : 1, at.plusSeconds(4), null).block(WAIT));
                at = at.plusSeconds(60);
            }
            assertThat(DatabaseClient.create(connections).sql("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'schema_version'")
                    .map(row -> row.get("n", Long.class)).one().block(WAIT)).isZero();
            return created;
        } finally {
            ((java.io.Closeable) connections).close();
        }
    }
}
