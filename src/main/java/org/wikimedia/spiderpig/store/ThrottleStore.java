package org.wikimedia.spiderpig.store;

import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The sign-in throttle's state, kept so that a restart does not give a guesser a fresh start. */
public interface ThrottleStore {

    /** One account's or address's recent failures and lock ({@code lockedUntil} null: not locked). */
    record ThrottleState(String key, List<Instant> failures, Instant lockedUntil) {

        public ThrottleState {
            failures = List.copyOf(failures);
        }
    }

    /** Writes the state, and forgets states that last changed before {@code staleBefore}. */
    Mono<Void> save(ThrottleState state, Instant now, Instant staleBefore);

    Mono<Void> delete(String key);

    /** Every state that changed at or after {@code since}, or is locked beyond {@code now}. */
    Flux<ThrottleState> recent(Instant since, Instant now);
}
