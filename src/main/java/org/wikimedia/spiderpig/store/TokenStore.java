package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Personal API tokens, kept only as hashes of the secret. */
public interface TokenStore {

    /** A token's record; {@code role} is the most it grants (its owner's role may lower it). */
    record StoredToken(long id, String owner, String name, String role, Instant createdAt, Instant expiresAt,
                       Instant lastUsedAt) {
    }

    Mono<StoredToken> create(String hash, String owner, String name, String role, Instant createdAt, Instant expiresAt);

    /** The unrevoked token with this hash that has not expired at {@code now}. */
    Mono<StoredToken> findValid(String hash, Instant now);

    Flux<StoredToken> forOwner(String owner);

    Mono<Void> touch(long id, Instant at);

    /** True when it was there to revoke; {@code owner} null revokes anyone's. */
    Mono<Boolean> revoke(long id, String owner, Instant at);
}
