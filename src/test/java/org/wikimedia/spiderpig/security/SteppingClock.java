package org.wikimedia.spiderpig.security;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The server's clock in sign-in tests: real time plus an offset that grows by one TOTP step for every code a
 * test computes, so that a test may sign in more often than every 30 s without its code being a replay.
 * Only ever moves forward.
 */
final class SteppingClock extends Clock {

    static final SteppingClock INSTANCE = new SteppingClock();

    private final AtomicLong offsetSeconds = new AtomicLong();

    private SteppingClock() {
    }

    /** Moves one step on; the instant to compute the next code at. */
    Instant nextStep() {
        offsetSeconds.addAndGet(Totp.STEP_SECONDS);
        return instant();
    }

    @Override
    public Instant instant() {
        return Instant.now().plusSeconds(offsetSeconds.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the server's clock is UTC");
    }

    /** {@code @Import} it into a server test that signs in with codes. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Installed {

        @Bean
        @Primary
        Clock steppingClock() {
            return INSTANCE;
        }
    }
}
