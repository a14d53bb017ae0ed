package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.InstanceStore;
import reactor.core.publisher.Mono;

/** {@link InstanceStore} in SQL that SQLite and PostgreSQL both speak. */
public class R2dbcInstanceStore implements InstanceStore {

    private final DatabaseClient db;

    public R2dbcInstanceStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> beat(String id, String host, Instant startedAt, Instant now) {
        return db.sql("""
                        INSERT INTO instances (id, host, started_at, last_seen) VALUES (:id, :host, :startedAt, :now)
                        ON CONFLICT (id) DO UPDATE SET last_seen = excluded.last_seen""")
                .bind("id", id)
                .bind("host", host)
                .bind("startedAt", startedAt.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .then();
    }

    @Override
    public Mono<Instant> hostLastSeen(String host) {
        return db.sql("SELECT last_seen FROM instances WHERE host = :host ORDER BY last_seen DESC LIMIT 1")
                .bind("host", host)
                .map(row -> Instant.ofEpochMilli(row.get("last_seen", Long.class)))
                .first();
    }

    @Override
    public Mono<Void> forgetNotSeenSince(Instant cutoff) {
        return db.sql("DELETE FROM instances WHERE last_seen < :cutoff").bind("cutoff", cutoff.toEpochMilli()).then();
    }
}
