package org.wikimedia.spiderpig.store.r2dbc;

import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import reactor.core.publisher.Mono;

/** {@link JobOwnerStore} in two columns of the jobs table. */
public class R2dbcJobOwnerStore implements JobOwnerStore {

    private final DatabaseClient db;

    public R2dbcJobOwnerStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> record(long jobId, JobOwner owner) {
        return db.sql("UPDATE jobs SET instance_id = :instance, host = :host WHERE id = :id")
                .bind("instance", owner.instanceId())
                .bind("host", owner.host())
                .bind("id", jobId)
                .then();
    }

    @Override
    public Mono<JobOwner> of(long jobId) {
        return db.sql("SELECT instance_id, host FROM jobs WHERE id = :id AND instance_id IS NOT NULL")
                .bind("id", jobId)
                .map(row -> new JobOwner(row.get("instance_id", String.class), row.get("host", String.class)))
                .first();
    }

    @Override
    public Mono<Void> accepted(long jobId, String host) {
        return db.sql("UPDATE jobs SET host = :host WHERE id = :id AND instance_id IS NULL")
                .bind("host", host)
                .bind("id", jobId)
                .then();
    }

    @Override
    public Mono<String> host(long jobId) {
        return db.sql("SELECT host FROM jobs WHERE id = :id AND host IS NOT NULL")
                .bind("id", jobId)
                .map(row -> row.get("host", String.class))
                .first();
    }
}
