package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Mono;

/** Browser sessions, kept by the hash of their cookie so that they survive a restart. */
public interface SessionStore {

    Mono<Void> create(String hash, String user, Instant createdAt, Instant expiresAt);

    /** A session that has passed the password and still waits for the second factor. */
    Mono<Void> createPending(String hash, String user, Instant createdAt, Instant expiresAt);

    /** The user of the signed-in session with this hash, if it has not expired at {@code now}. */
    Mono<String> findUser(String hash, Instant now);

    /** The user of the session with this hash that waits for its second factor, if it has not expired. */
    Mono<String> findPendingUser(String hash, Instant now);

    Mono<Void> delete(String hash);

    /** Ends every session; emits how many there were. */
    Mono<Long> deleteAll();

    Mono<Long> deleteExpired(Instant now);
}
