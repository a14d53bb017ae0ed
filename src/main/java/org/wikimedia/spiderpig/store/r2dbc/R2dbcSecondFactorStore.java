package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import reactor.core.publisher.Mono;

/**
 * {@link SecondFactorStore} in SQL over R2DBC. Each change is one conditional statement, so that of two
 * requests racing with the same code exactly one is accepted.
 */
public class R2dbcSecondFactorStore implements SecondFactorStore {

    private final DatabaseClient db;

    public R2dbcSecondFactorStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<StoredSecondFactor> find(String user) {
        return db.sql("SELECT * FROM second_factors WHERE user_name = :user")
                .bind("user", user)
                .map(row -> new StoredSecondFactor(row.get("user_name", String.class), row.get("secret", String.class),
                        SqlValues.instant(row, "created_at"), SqlValues.instant(row, "confirmed_at"),
                        row.get("last_step", Long.class)))
                .one();
    }

    @Override
    public Mono<Boolean> begin(String user, String secret, Instant at) {
        return db.sql("""
                        INSERT INTO second_factors (user_name, secret, created_at) VALUES (:user, :secret, :at)
                        ON CONFLICT (user_name) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
                        WHERE second_factors.confirmed_at IS NULL""")
                .bind("user", user)
                .bind("secret", secret)
                .bind("at", SqlValues.text(at))
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> confirm(String user, String secret, long step, Instant at) {
        return db.sql("""
                        UPDATE second_factors SET confirmed_at = :at, last_step = :step
                        WHERE user_name = :user AND secret = :secret AND confirmed_at IS NULL""")
                .bind("at", SqlValues.text(at))
                .bind("step", step)
                .bind("user", user)
                .bind("secret", secret)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> accept(String user, long step) {
        return db.sql("""
                        UPDATE second_factors SET last_step = :step
                        WHERE user_name = :user AND confirmed_at IS NOT NULL AND last_step < :step""")
                .bind("step", step)
                .bind("user", user)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Boolean> remove(String user) {
        return db.sql("DELETE FROM second_factors WHERE user_name = :user").bind("user", user)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }
}
