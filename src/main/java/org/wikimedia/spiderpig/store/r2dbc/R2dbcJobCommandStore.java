package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.JobCommandStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@link JobCommandStore} in SQL that SQLite and PostgreSQL both speak; a claim is a conditional update. */
public class R2dbcJobCommandStore implements JobCommandStore {

    private static final TypeReference<Map<String, String>> PAYLOAD = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final SqlValues values;

    public R2dbcJobCommandStore(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.values = new SqlValues(json);
    }

    @Override
    public Mono<Void> add(long jobId, String kind, Map<String, String> payload, Instant at) {
        return db.sql("INSERT INTO job_commands (job_id, kind, payload, created_at) VALUES (:job, :kind, :payload, :at)")
                .bind("job", jobId)
                .bind("kind", kind)
                .bind("payload", values.toJson(payload))
                .bind("at", at.toEpochMilli())
                .then();
    }

    @Override
    public Flux<JobCommand> pending(Collection<Long> jobIds) {
        if (jobIds.isEmpty()) {
            return Flux.empty();
        }
        return db.sql("SELECT id, job_id, kind, payload FROM job_commands WHERE done_at IS NULL AND job_id IN (:jobs) ORDER BY id")
                .bind("jobs", jobIds)
                .map(row -> new JobCommand(row.get("id", Long.class), row.get("job_id", Long.class),
                        row.get("kind", String.class), values.fromJson(row, "payload", PAYLOAD)))
                .all();
    }

    @Override
    public Mono<Boolean> claim(long commandId, Instant at) {
        return db.sql("UPDATE job_commands SET done_at = :at WHERE id = :id AND done_at IS NULL")
                .bind("at", at.toEpochMilli())
                .bind("id", commandId)
                .fetch().rowsUpdated()
                .map(rows -> rows == 1);
    }
}
