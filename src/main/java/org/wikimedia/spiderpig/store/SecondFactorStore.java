package org.wikimedia.spiderpig.store;

import java.time.Instant;
import reactor.core.publisher.Mono;

/** Local accounts' TOTP secrets (encrypted by the caller) and the newest step each has accepted. */
public interface SecondFactorStore {

    /** {@code confirmedAt} is null while an enrolment waits for its first code. */
    record StoredSecondFactor(String user, String secret, Instant createdAt, Instant confirmedAt, long lastStep) {

        public boolean confirmed() {
            return confirmedAt != null;
        }
    }

    Mono<StoredSecondFactor> find(String user);

    /** Starts (or starts again) an enrolment; false when the user already has a confirmed second factor. */
    Mono<Boolean> begin(String user, String secret, Instant at);

    /**
     * Confirms the enrolment of exactly this secret with the code of {@code step}; false when it was confirmed
     * already or replaced by a newer enrolment meanwhile.
     */
    Mono<Boolean> confirm(String user, String secret, long step, Instant at);

    /** Records {@code step} as used; false when it (or a later step) was used already: a replay. */
    Mono<Boolean> accept(String user, long step);

    /** Forgets the user's second factor; false when there was none. */
    Mono<Boolean> remove(String user);
}
