package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.ThrottleStore;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Checks a user name and password, throttled per account and per client address. A failure never says
 * whether the account exists.
 */
public class SignIn {

    private final Accounts accounts;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final ThrottleStore kept;
    private final Clock clock;
    /** The throttle as it was before the last restart, read once before the first sign-in. */
    private final Mono<Void> restored;

    public SignIn(Accounts accounts, SignInThrottle throttle, AuditTrail audit, ThrottleStore kept, Clock clock) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
        this.kept = kept;
        this.clock = clock;
        this.restored = Mono.defer(() -> kept.recent(clock.instant().minus(SignInThrottle.WINDOW), clock.instant())
                        .doOnNext(throttle::restore)
                        .then())
                .cache(done -> Duration.ofMillis(Long.MAX_VALUE), failure -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE));
    }

    public Mono<SpiderPigUser> signIn(String name, String password, InetAddress from) {
        String accountKey = "account:" + name;
        String addressKey = "address:" + ClientAddress.anonymized(from);
        return restored.then(Mono.defer(() -> {
            var locked = throttle.lockedFor(accountKey, addressKey);
            if (locked.isPresent()) {
                return Mono.error(lockedOut(locked.get()));
            }
            return accounts.check(name, password)
                    .flatMap(user -> {
                        throttle.succeeded(accountKey);
                        return kept.delete(accountKey)
                                .then(audit.record(user.name(), AuditTrail.Action.SIGNED_IN, from, null, null))
                                .thenReturn(user);
                    })
                    .switchIfEmpty(Mono.defer(() -> failed(name, from, accountKey, addressKey)));
        }));
    }

    private Mono<SpiderPigUser> failed(String name, InetAddress from, String accountKey, String addressKey) {
        boolean nowLocked = throttle.failed(accountKey, addressKey);
        Mono<Void> recorded = keep(accountKey, addressKey)
                .then(audit.record(String.valueOf(name), AuditTrail.Action.SIGN_IN_FAILED, from, null, null));
        if (nowLocked) {
            recorded = recorded.then(audit.record(String.valueOf(name), AuditTrail.Action.LOCKED_OUT, from, null,
                    "after " + SignInThrottle.MAX_FAILURES + " failures"));
        }
        return recorded.then(Mono.error(new Problem(401, "sign-in-failed", "Sign-in failed",
                "The user name or the password is wrong.")));
    }

    private Mono<Void> keep(String... keys) {
        var now = clock.instant();
        return Flux.fromArray(keys)
                .concatMap(key -> kept.save(throttle.state(key), now, now.minus(SignInThrottle.WINDOW)))
                .then();
    }

    static Problem lockedOut(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new Problem(429, "too-many-sign-in-failures", "Too many failed sign-ins",
                "Too many failed sign-ins for this account or from this address; try again in "
                        + Math.max(1, (seconds + 59) / 60) + " minutes.",
                Map.of("retryAfter", seconds));
    }
}
