package org.wikimedia.spiderpig.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.wikimedia.spiderpig.store.ThrottleStore.ThrottleState;

/**
 * Slows password guessing: {@value #MAX_FAILURES} failures within {@link #WINDOW} for one account, or from one
 * client address, lock it for {@link #LOCK}. Decided in memory (bounded in size); {@link SignIn} keeps a copy of
 * each change in the database and {@link #restore restores} it after a restart.
 */
public class SignInThrottle {

    static final int MAX_FAILURES = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);
    static final Duration LOCK = Duration.ofMinutes(15);
    private static final int MAX_KEYS = 10_000;

    private final Clock clock;
    private final Map<String, Record> records = new LinkedHashMap<>();

    private static final class Record {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil = Instant.MIN;
    }

    public SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long until these keys may try again; empty when none of them is locked. */
    public synchronized Optional<Duration> lockedFor(String... keys) {
        Instant now = clock.instant();
        Duration longest = Duration.ZERO;
        for (String key : keys) {
            Record record = records.get(key);
            if (record != null && record.lockedUntil.isAfter(now)) {
                Duration left = Duration.between(now, record.lockedUntil);
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    /** Counts a failure against each key; true when this failure locked one of them. */
    public synchronized boolean failed(String... keys) {
        Instant now = clock.instant();
        boolean locked = false;
        for (String key : keys) {
            Record record = records.computeIfAbsent(key, k -> new Record());
            record.failures.addLast(now);
            while (!record.failures.isEmpty() && !record.failures.peekFirst().isAfter(now.minus(WINDOW))) {
                record.failures.removeFirst();
            }
            if (record.failures.size() >= MAX_FAILURES) {
                record.lockedUntil = now.plus(LOCK);
                record.failures.clear();
                locked = true;
            }
        }
        forgetOldest(now);
        return locked;
    }

    public synchronized void succeeded(String key) {
        records.remove(key);
    }

    /** What is known about a key now, to keep; a forgotten key has no failures and no lock. */
    public synchronized ThrottleState state(String key) {
        Record record = records.get(key);
        if (record == null) {
            return new ThrottleState(key, List.of(), null);
        }
        return new ThrottleState(key, List.copyOf(record.failures),
                record.lockedUntil.equals(Instant.MIN) ? null : record.lockedUntil);
    }

    /** Takes back a state kept before a restart. */
    public synchronized void restore(ThrottleState state) {
        Record record = records.computeIfAbsent(state.key(), k -> new Record());
        record.failures.clear();
        record.failures.addAll(state.failures());
        record.lockedUntil = state.lockedUntil() == null ? Instant.MIN : state.lockedUntil();
    }

    private void forgetOldest(Instant now) {
        Iterator<Record> oldest = records.values().iterator();
        while (records.size() > MAX_KEYS && oldest.hasNext()) {
            Record record = oldest.next();
            if (!record.lockedUntil.isAfter(now)) {
                oldest.remove();
            }
        }
    }
}
