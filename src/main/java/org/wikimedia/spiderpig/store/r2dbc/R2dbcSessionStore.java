package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.SessionStore;
import reactor.core.publisher.Mono;

/** {@link SessionStore} in SQL over R2DBC. */
public class R2dbcSessionStore implements SessionStore {

    private final DatabaseClient db;

    public R2dbcSessionStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> create(String hash, String user, Instant createdAt, Instant expiresAt) {
        return db.sql("INSERT INTO sessions (hash, user_name, created_at, expires_at) VALUES (:hash, :user, :at, :expires)")
                .bind("hash", hash)
                .bind("user", user)
                .bind("at", SqlValues.text(createdAt))
                .bind("expires", expiresAt.toEpochMilli())
                .then();
    }

    @Override
    public Mono<Void> createPending(String hash, String user, Instant createdAt, Instant expiresAt) {
        return db.sql("""
                        INSERT INTO sessions (hash, user_name, created_at, expires_at, second_factor_pending)
                        VALUES (:hash, :user, :at, :expires, 1)""")
                .bind("hash", hash)
                .bind("user", user)
                .bind("at", SqlValues.text(createdAt))
                .bind("expires", expiresAt.toEpochMilli())
                .then();
    }

    @Override
    public Mono<String> findUser(String hash, Instant now) {
        return findUser(hash, now, 0);
    }

    @Override
    public Mono<String> findPendingUser(String hash, Instant now) {
        return findUser(hash, now, 1);
    }

    private Mono<String> findUser(String hash, Instant now, int pending) {
        return db.sql("SELECT user_name FROM sessions WHERE hash = :hash AND expires_at > :now AND second_factor_pending = :pending")
                .bind("hash", hash)
                .bind("now", now.toEpochMilli())
                .bind("pending", pending)
                .map(row -> row.get("user_name", String.class))
                .one();
    }

    @Override
    public Mono<Void> delete(String hash) {
        return db.sql("DELETE FROM sessions WHERE hash = :hash").bind("hash", hash).then();
    }

    @Override
    public Mono<Long> deleteAll() {
        return db.sql("DELETE FROM sessions").fetch().rowsUpdated();
    }

    @Override
    public Mono<Long> deleteExpired(Instant now) {
        return db.sql("DELETE FROM sessions WHERE expires_at <= :now").bind("now", now.toEpochMilli())
                .fetch().rowsUpdated();
    }
}
