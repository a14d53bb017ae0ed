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
 * Checks a user name and password, then the second factor, throttled per account and per client address: a
 * wrong code counts like a wrong password. A failure never says whether the account exists. The throttle's
 * counts are kept in the database, so a restart does not forgive them.
 */
public class SignIn {

    /** Who passed the password, and whether they still owe the second factor. */
    public record Outcome(SpiderPigUser user, boolean secondFactorPending) {
    }

    private final Accounts accounts;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final SecondFactors secondFactors;
    private final ThrottleStore kept;
    private final Clock clock;
    /** The throttle as it was before the last restart, read once before the first sign-in. */
    private final Mono<Void> restored;

    public SignIn(Accounts accounts, SignInThrottle throttle, AuditTrail audit, SecondFactors secondFactors,
            ThrottleStore kept, Clock clock) {
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
        this.secondFactors = secondFactors;
        this.kept = kept;
        this.clock = clock;
        this.restored = Mono.defer(() -> kept.recent(clock.instant().minus(SignInThrottle.WINDOW), clock.instant())
                        .doOnNext(throttle::restore)
                        .then())
                .cache(done -> Duration.ofMillis(Long.MAX_VALUE), failure -> Duration.ZERO, () -> Duration.ofMillis(Long.MAX_VALUE));
    }

    /**
     * The password, and the code when one is given. Without a code, an account that needs a second factor is
     * only half-way signed in: the throttle does not forgive its earlier failures until the code is right.
     */
    public Mono<Outcome> signIn(String name, String password, String code, InetAddress from) {
        return restored.then(Mono.defer(() -> {
            refuseWhileLocked(name, from);
            return accounts.check(name, password)
                    .switchIfEmpty(Mono.defer(() -> failed(name, from, "password", passwordFailed())))
                    .flatMap(user -> secondFactors.needed(user.name()).flatMap(needed -> {
                        if (!needed) {
                            return signedIn(user, from).map(done -> new Outcome(done, false));
                        }
                        if (code == null) {
                            return Mono.just(new Outcome(user, true));
                        }
                        return proveSecondFactor(user.name(), code, from, true).map(done -> new Outcome(done, false));
                    }));
        }));
    }

    /**
     * A code from someone who passed the password ({@code signingIn}) or is signed in already (enrolling when
     * the setting leaves it to them). Emits the user with their roles of now.
     */
    public Mono<SpiderPigUser> proveSecondFactor(String name, String code, InetAddress from, boolean signingIn) {
        return restored.then(Mono.defer(() -> {
            refuseWhileLocked(name, from);
            return accounts.user(name)
                    .switchIfEmpty(Mono.error(() -> notALocalAccount()))
                    .flatMap(user -> secondFactors.prove(name, code).flatMap(proof -> switch (proof) {
                        case REFUSED -> failed(name, from, "second factor", secondFactorFailed());
                        case ENROLLED -> audit.record(name, AuditTrail.Action.SECOND_FACTOR_ENROLLED, from, null, null)
                                .then(signingIn ? signedIn(user, from) : Mono.just(user));
                        case VERIFIED -> signingIn ? signedIn(user, from) : Mono.just(user);
                    }));
        }));
    }

    /** Begins the enrolment of a local account's second factor. */
    public Mono<SecondFactors.Enrolment> beginEnrolment(String name) {
        return accounts.user(name)
                .switchIfEmpty(Mono.error(() -> notALocalAccount()))
                .flatMap(user -> secondFactors.begin(name));
    }

    private void refuseWhileLocked(String name, InetAddress from) {
        var locked = throttle.lockedFor(accountKey(name), addressKey(from));
        if (locked.isPresent()) {
            throw lockedOut(locked.get());
        }
    }

    private Mono<SpiderPigUser> signedIn(SpiderPigUser user, InetAddress from) {
        throttle.succeeded(accountKey(user.name()));
        return kept.delete(accountKey(user.name()))
                .then(audit.record(user.name(), AuditTrail.Action.SIGNED_IN, from, null, null))
                .thenReturn(user);
    }

    private <T> Mono<T> failed(String name, InetAddress from, String what, Problem problem) {
        boolean nowLocked = throttle.failed(accountKey(name), addressKey(from));
        Mono<Void> recorded = keep(accountKey(name), addressKey(from))
                .then(audit.record(String.valueOf(name), AuditTrail.Action.SIGN_IN_FAILED, from, null, "wrong " + what));
        if (nowLocked) {
            recorded = recorded.then(audit.record(String.valueOf(name), AuditTrail.Action.LOCKED_OUT, from, null,
                    "after " + SignInThrottle.MAX_FAILURES + " failures"));
        }
        return recorded.then(Mono.error(problem));
    }

    private static String accountKey(String name) {
        return "account:" + name;
    }

    private static String addressKey(InetAddress from) {
        return "address:" + ClientAddress.anonymized(from);
    }

    private static Problem passwordFailed() {
        return new Problem(401, "sign-in-failed", "Sign-in failed", "The user name or the password is wrong.");
    }

    private static Problem secondFactorFailed() {
        return new Problem(401, "second-factor-failed", "Wrong code",
                "The code is wrong, or was used already: wait for the next one your authenticator app shows.");
    }

    private static Problem notALocalAccount() {
        return new Problem(409, "not-a-local-account", "Not a local account",
                "Only local accounts have a second factor here; single sign-on users prove theirs to their identity provider.");
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
