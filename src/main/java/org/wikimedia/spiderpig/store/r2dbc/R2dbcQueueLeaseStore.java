package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
import reactor.core.publisher.Mono;

/**
 * {@link QueueLeaseStore} as one row per group. Taking a lease is a single upsert whose update only applies when
 * the row is the taker's or expired: concurrent takers are serialized on the row by the database (SQLite's one
 * writer, PostgreSQL's conflict check on the key), so exactly one of them sees a row written.
 */
public class R2dbcQueueLeaseStore implements QueueLeaseStore {

    private final DatabaseClient db;

    public R2dbcQueueLeaseStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Boolean> acquire(String group, String holder, Instant now, Instant until) {
        return db.sql("""
                        INSERT INTO queue_leases (concurrency_group, holder, expires_at) VALUES (:group, :holder, :until)
                        ON CONFLICT (concurrency_group) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                        WHERE queue_leases.holder = excluded.holder OR queue_leases.expires_at < :now""")
                .bind("group", group)
                .bind("holder", holder)
                .bind("until", until.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .fetch().rowsUpdated()
                .map(rows -> rows == 1);
    }

    @Override
    public Mono<Void> hold(String group, String holder, Instant until) {
        return db.sql("""
                        INSERT INTO queue_leases (concurrency_group, holder, expires_at) VALUES (:group, :holder, :until)
                        ON CONFLICT (concurrency_group) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at""")
                .bind("group", group)
                .bind("holder", holder)
                .bind("until", until.toEpochMilli())
                .then();
    }

    @Override
    public Mono<Void> renewAll(String holder, Instant until) {
        return db.sql("UPDATE queue_leases SET expires_at = :until WHERE holder = :holder")
                .bind("until", until.toEpochMilli())
                .bind("holder", holder)
                .then();
    }

    @Override
    public Mono<Void> release(String group, String holder) {
        return db.sql("DELETE FROM queue_leases WHERE concurrency_group = :group AND holder = :holder")
                .bind("group", group)
                .bind("holder", holder)
                .then();
    }

    @Override
    public Mono<Void> releaseEarlierInstances(String host, String current) {
        return db.sql("""
                        DELETE FROM queue_leases
                        WHERE holder <> :current AND holder IN (SELECT id FROM instances WHERE host = :host)""")
                .bind("current", current)
                .bind("host", host)
                .then();
    }
}
