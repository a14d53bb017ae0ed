package org.wikimedia.spiderpig.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.wikimedia.spiderpig.store.SessionStore;
import reactor.core.publisher.Mono;

/**
 * Browser sessions: a random secret in a cookie, its hash in the database, so a restart keeps everyone signed in.
 * A session that has passed the password but not yet the second factor is pending, and short.
 */
public class Sessions {

    /** How long a pending session waits for its second factor (or its enrolment). */
    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);

    private final SessionStore store;
    private final UserDirectory users;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(SessionStore store, UserDirectory users, Duration lifetime, Clock clock) {
        this.store = store;
        this.users = users;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Starts a session; emits its secret, for the cookie. */
    public Mono<String> start(SpiderPigUser user) {
        String secret = Secrets.generate("sps_");
        Instant now = clock.instant();
        return store.deleteExpired(now)
                .then(store.create(Secrets.hash(secret), user.name(), now, now.plus(lifetime)))
                .thenReturn(secret);
    }

    /** Starts a session that waits for the second factor; emits its secret, for the cookie. */
    public Mono<String> startPending(SpiderPigUser user) {
        String secret = Secrets.generate("sps_");
        Instant now = clock.instant();
        return store.deleteExpired(now)
                .then(store.createPending(Secrets.hash(secret), user.name(), now, now.plus(PENDING_LIFETIME)))
                .thenReturn(secret);
    }

    /** The name of the user whose pending session this is; empty for any other session. */
    public Mono<String> pendingUser(String secret) {
        return store.findPendingUser(Secrets.hash(secret), clock.instant());
    }

    /** The session's user with the roles their account has now; empty for an unknown or expired session. */
    public Mono<SpiderPigUser> user(String secret) {
        return store.findUser(Secrets.hash(secret), clock.instant()).flatMap(users::user);
    }

    public Mono<Void> end(String secret) {
        return store.delete(Secrets.hash(secret));
    }

    /** Signs everyone out; emits how many sessions ended. */
    public Mono<Long> endAll() {
        return store.deleteAll();
    }
}
