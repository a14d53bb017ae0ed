package org.wikimedia.spiderpig.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Polling with a deadline, for conditions no latch or publisher reports: the deadline is generous so a
 * slow, busy machine passes, and the poll is short so a fast one does not wait.
 */
public final class Eventually {

    public static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final long POLL_NANOS = Duration.ofMillis(1).toNanos();

    private Eventually() {
    }

    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("%s within %s", what, DEADLINE).isNegative();
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
