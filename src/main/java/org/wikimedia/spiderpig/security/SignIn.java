package org.wikimedia.spiderpig.security;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.wikimedia.spiderpig.problem.Problem;
import reactor.core.publisher.Mono;

/**
 * Checks a user name and password, throttled per account and per client address. A failure never says
 * whether the account exists.
 */
public class SignIn {

    private final Accounts accounts;
    private final SignInThrottle throttle;
    private final AuditTrail audit;

    public SignIn(Accounts accounts, SignInThrottle throttle, AuditTrail audit) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
    }

    public Mono<SpiderPigUser> signIn(String name, String password, InetAddress from) {
        String accountKey = "account:" + name;
        String addressKey = "address:" + ClientAddress.anonymized(from);
        return Mono.defer(() -> {
            var locked = throttle.lockedFor(accountKey, addressKey);
            if (locked.isPresent()) {
                return Mono.error(lockedOut(locked.get()));
            }
            return accounts.check(name, password)
                    .flatMap(user -> {
                        throttle.succeeded(accountKey);
                        return audit.record(user.name(), AuditTrail.Action.SIGNED_IN, from, null, null).thenReturn(user);
                    })
                    .switchIfEmpty(Mono.defer(() -> failed(name, from, accountKey, addressKey)));
        });
    }

    private Mono<SpiderPigUser> failed(String name, InetAddress from, String accountKey, String addressKey) {
        boolean nowLocked = throttle.failed(accountKey, addressKey);
        Mono<Void> recorded = audit.record(String.valueOf(name), AuditTrail.Action.SIGN_IN_FAILED, from, null, null);
        if (nowLocked) {
            recorded = recorded.then(audit.record(String.valueOf(name), AuditTrail.Action.LOCKED_OUT, from, null,
                    "after " + SignInThrottle.MAX_FAILURES + " failures"));
        }
        return recorded.then(Mono.error(new Problem(401, "sign-in-failed", "Sign-in failed",
                "The user name or the password is wrong.")));
    }

    static Problem lockedOut(Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds());
        return new Problem(429, "too-many-sign-in-failures", "Too many failed sign-ins",
                "Too many failed sign-ins for this account or from this address; try again in "
                        + Math.max(1, (seconds + 59) / 60) + " minutes.",
                Map.of("retryAfter", seconds));
    }
}
