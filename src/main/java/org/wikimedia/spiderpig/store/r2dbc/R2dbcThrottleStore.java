package org.wikimedia.spiderpig.store.r2dbc;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.ThrottleStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@link ThrottleStore} in SQL over R2DBC. */
public class R2dbcThrottleStore implements ThrottleStore {

    private final DatabaseClient db;

    public R2dbcThrottleStore(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> save(ThrottleState state, Instant now, Instant staleBefore) {
        Mono<Void> written = db.sql("INSERT INTO sign_in_throttle (throttle_key, failures, locked_until, updated_at)"
                        + " VALUES (:key, :failures, :locked, :now) ON CONFLICT (throttle_key) DO UPDATE SET"
                        + " failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at")
                .bind("key", state.key())
                .bind("failures", state.failures().stream().map(at -> String.valueOf(at.toEpochMilli()))
                        .collect(Collectors.joining(",")))
                .bind("locked", state.lockedUntil() == null ? 0L : state.lockedUntil().toEpochMilli())
                .bind("now", now.toEpochMilli())
                .then();
        Mono<Void> stale = db.sql("DELETE FROM sign_in_throttle WHERE updated_at < :stale AND locked_until <= :now")
                .bind("stale", staleBefore.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .then();
        return written.then(stale);
    }

    @Override
    public Mono<Void> delete(String key) {
        return db.sql("DELETE FROM sign_in_throttle WHERE throttle_key = :key").bind("key", key).then();
    }

    @Override
    public Flux<ThrottleState> recent(Instant since, Instant now) {
        return db.sql("SELECT throttle_key, failures, locked_until FROM sign_in_throttle"
                        + " WHERE updated_at >= :since OR locked_until > :now")
                .bind("since", since.toEpochMilli())
                .bind("now", now.toEpochMilli())
                .map(row -> {
                    String failures = row.get("failures", String.class);
                    long locked = row.get("locked_until", Long.class);
                    List<Instant> times = failures == null || failures.isEmpty() ? List.of()
                            : Arrays.stream(failures.split(",")).map(Long::parseLong).map(Instant::ofEpochMilli).toList();
                    return new ThrottleState(row.get("throttle_key", String.class), times,
                            locked == 0 ? null : Instant.ofEpochMilli(locked));
                })
                .all();
    }
}
