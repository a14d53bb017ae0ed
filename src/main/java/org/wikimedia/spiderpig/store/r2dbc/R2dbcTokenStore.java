package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.TokenStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link TokenStore} in SQL over R2DBC. */
public class R2dbcTokenStore implements TokenStore {

    private final DatabaseClient db;

    public R2dbcTokenStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<StoredToken> create(String hash, String owner, String name, String role, Instant createdAt,
                                    Instant expiresAt) {
        return db.sql("""
                        INSERT INTO api_tokens (hash, owner, name, role, created_at, expires_at)
                        VALUES (:hash, :owner, :name, :role, :createdAt, :expiresAt)
                        RETURNING *""")
                .bind("hash", hash)
                .bind("owner", owner)
                .bind("name", name)
                .bind("role", role)
                .bind("createdAt", SqlValues.text(createdAt))
                .bind("expiresAt", expiresAt.toEpochMilli())
                .map(R2dbcTokenStore::token)
                .one();
    }

    @Override
    public Mono<StoredToken> findValid(String hash, Instant now) {
        return db.sql("SELECT * FROM api_tokens WHERE hash = :hash AND revoked_at IS NULL AND expires_at > :now")
                .bind("hash", hash)
                .bind("now", now.toEpochMilli())
                .map(R2dbcTokenStore::token)
                .one();
    }

    @Override
    public Flux<StoredToken> forOwner(String owner) {
        return db.sql("SELECT * FROM api_tokens WHERE owner = :owner AND revoked_at IS NULL ORDER BY id")
                .bind("owner", owner)
                .map(R2dbcTokenStore::token)
                .all();
    }

    @Override
    public Mono<Void> touch(long id, Instant at) {
        return db.sql("UPDATE api_tokens SET last_used_at = :at WHERE id = :id")
                .bind("at", SqlValues.text(at))
                .bind("id", id)
                .then();
    }

    @Override
    public Mono<Boolean> revoke(long id, String owner, Instant at) {
        var spec = db.sql("UPDATE api_tokens SET revoked_at = :at WHERE id = :id AND revoked_at IS NULL"
                        + (owner == null ? "" : " AND owner = :owner"))
                .bind("at", SqlValues.text(at))
                .bind("id", id);
        if (owner != null) {
            spec = spec.bind("owner", owner);
        }
        return spec.fetch().rowsUpdated().map(rows -> rows == 1);
    }

    private static StoredToken token(Readable row) {
        return new StoredToken(row.get("id", Long.class), row.get("owner", String.class), row.get("name", String.class),
                row.get("role", String.class), SqlValues.instant(row, "created_at"),
                Instant.ofEpochMilli(row.get("expires_at", Long.class)), SqlValues.instant(row, "last_used_at"));
    }
}
