package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.JobCommandStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link JobCommandStore} in PostgreSQL: as {@link R2dbcJobCommandStore}, and a command's row and its notice on
 * {@value #CHANNEL} are one statement, so the instance running the job hears of it when it is committed, not at
 * its next poll.
 */
final class PostgresJobCommandStore implements JobCommandStore {

    static final String CHANNEL = "spiderpig_job_commands";

    private final DatabaseClient db;
    private final SqlValues values;
    private final R2dbcJobCommandStore rows;
    private final Flux<Long> added;

    /** @param unpooled where the connection that listens comes from (the same database, not a pool) */
    PostgresJobCommandStore(DatabaseClient db, JsonMapper json, ConnectionFactory unpooled) {
        this.db = db;
        this.values = new SqlValues(json);
        this.rows = new R2dbcJobCommandStore(db, json);
        // One connection that listens however many subscribe, and none while nobody does. Notices missed while
        // it was lost need nothing here: the relay's poll finds their commands.
        this.added = PostgresNotices.listen(unpooled, CHANNEL, () -> { }, "job command notices")
                .map(PostgresJobCommandStore::jobId)
                .share();
    }

    @Override
    public Mono<Void> add(long jobId, String kind, Map<String, String> payload, Instant at) {
        return db.sql("""
                        WITH added AS (
                            INSERT INTO job_commands (job_id, kind, payload, created_at)
                            VALUES (:job, :kind, :payload, :at) RETURNING job_id)
                        SELECT pg_notify('""" + CHANNEL + "', job_id::text) FROM added")
                .bind("job", jobId)
                .bind("kind", kind)
                .bind("payload", values.toJson(payload))
                .bind("at", at.toEpochMilli())
                .then();
    }

    @Override
    public Flux<JobCommand> pending(Collection<Long> jobIds) {
        return rows.pending(jobIds);
    }

    @Override
    public Mono<Boolean> claim(long commandId, Instant at) {
        return rows.claim(commandId, at);
    }

    /** The job of each command any instance adds, as its row is committed. */
    @Override
    public Flux<Long> added() {
        return added;
    }

    private static long jobId(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
