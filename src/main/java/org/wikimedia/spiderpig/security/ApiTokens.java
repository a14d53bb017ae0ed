package org.wikimedia.spiderpig.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.TokenStore;
import org.wikimedia.spiderpig.store.TokenStore.StoredToken;
import reactor.core.publisher.Mono;

/**
 * Personal API tokens for scripts: shown once, stored as a hash, with an expiry. A token acts as its owner
 * with the lower of the token's role and the owner's role today.
 */
public class ApiTokens {

    static final Duration MAX_LIFETIME = Duration.ofDays(366);

    /** A token just made: the secret is in no other place. */
    public record CreatedToken(String token, StoredToken record) {
    }

    private final TokenStore store;
    private final UserDirectory users;
    private final Duration defaultLifetime;
    private final Clock clock;

    public ApiTokens(TokenStore store, UserDirectory users, Duration defaultLifetime, Clock clock) {
        this.store = store;
        this.users = users;
        this.defaultLifetime = defaultLifetime;
        this.clock = clock;
    }

    /** {@code role} and {@code lifetime} may be null: the owner's role, and the configured lifetime. */
    public Mono<CreatedToken> create(SpiderPigUser owner, String name, Role role, Duration lifetime) {
        Role ownRole = owner.highest();
        if (ownRole == null) {
            return Mono.error(new Problem(403, "forbidden", "Forbidden", "A user without a role cannot make tokens."));
        }
        if (role != null && role.compareTo(ownRole) > 0) {
            return Mono.error(Problem.malformed("A token may carry your role (" + ownRole.name().toLowerCase()
                    + ") or less, not " + role.name().toLowerCase() + "."));
        }
        Duration life = lifetime == null ? defaultLifetime : lifetime;
        if (life.isNegative() || life.isZero() || life.compareTo(MAX_LIFETIME) > 0) {
            return Mono.error(Problem.malformed("A token lives between 1 and " + MAX_LIFETIME.toDays() + " days."));
        }
        String secret = Secrets.generate("spt_");
        Instant now = clock.instant();
        return store.create(Secrets.hash(secret), owner.name(), name, (role == null ? ownRole : role).name(), now,
                        now.plus(life))
                .map(record -> new CreatedToken(secret, record));
    }

    public Mono<List<StoredToken>> list(SpiderPigUser owner) {
        return store.forOwner(owner.name()).collectList();
    }

    /** Revokes the caller's own token, or anyone's for an admin; false when there was no such live token. */
    public Mono<Boolean> revoke(SpiderPigUser caller, long id) {
        return store.revoke(id, caller.has(Role.ADMIN) ? null : caller.name(), clock.instant());
    }

    /** The user a token acts as; empty when it is unknown, revoked, expired, or its owner is gone. */
    public Mono<SpiderPigUser> authenticate(String secret) {
        Instant now = clock.instant();
        return store.findValid(Secrets.hash(secret), now)
                .flatMap(token -> users.user(token.owner())
                        .filter(owner -> owner.highest() != null)
                        .map(owner -> SpiderPigUser.withRole(owner.name(), owner.highest().lower(Role.valueOf(token.role()))))
                        .flatMap(user -> store.touch(token.id(), now).thenReturn(user)));
    }
}
