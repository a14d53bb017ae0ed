package org.wikimedia.spiderpig.gerrit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.ChangeDetails;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class CachedChangeDetailsTest {

    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private volatile boolean gerritDown;
    private Instant now = Instant.parse("2026-11-30T00:00:00Z");

    private final ChangeDetailsSource gerrit = number -> {
        asked.computeIfAbsent(number, n -> new AtomicInteger()).incrementAndGet();
        if (gerritDown) {
            return Mono.error(ChangeDetailsSource.unavailable(number, "down"));
        }
        return "404".equals(number) ? Mono.error(ChangeDetailsSource.unknownChange(number))
                : Mono.just(new ChangeDetails(number, "p", "b", "s", "MERGED", "m", "u", null));
    };

    private final CachedChangeDetails cache = new CachedChangeDetails(gerrit, Duration.ofSeconds(60), new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    private int asked(String number) {
        return asked.getOrDefault(number, new AtomicInteger()).get();
    }

    @Test
    void answersAndUnknownChangesAreKeptForAWhileThenAskedAgain() {
        StepVerifier.create(cache.fetch("1")).expectNextCount(1).verifyComplete();
        StepVerifier.create(cache.fetch("1")).expectNextCount(1).verifyComplete();
        StepVerifier.create(cache.fetch("404")).verifyErrorMatches(ChangeDetailsSource::isUnknownChange);
        StepVerifier.create(cache.fetch("404")).verifyErrorMatches(ChangeDetailsSource::isUnknownChange);
        assertThat(asked("1")).isEqualTo(1);
        assertThat(asked("404")).isEqualTo(1);

        now = now.plusSeconds(61);
        StepVerifier.create(cache.fetch("1")).expectNextCount(1).verifyComplete();
        assertThat(asked("1")).isEqualTo(2);
    }

    @Test
    void failingToReachGerritIsNotKept() {
        gerritDown = true;
        StepVerifier.create(cache.fetch("2")).verifyErrorMatches(e -> !ChangeDetailsSource.isUnknownChange(e));
        gerritDown = false;
        StepVerifier.create(cache.fetch("2")).expectNextCount(1).verifyComplete();
        assertThat(asked("2")).isEqualTo(2);
    }
}
