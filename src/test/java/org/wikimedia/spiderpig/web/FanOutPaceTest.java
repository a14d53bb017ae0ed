package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FanOutPaceTest {

    private final FanOutPace pace = new FanOutPace(40_000, Duration.ofMillis(40));

    @Test
    void theIntervalGrowsWithTheStreamsSoThatTheWritesStayWithinTheBudget() {
        assertThat(pace.intervalNanos(1)).isEqualTo(25_000);
        assertThat(pace.intervalNanos(100)).isEqualTo(2_500_000);
        assertThat(pace.intervalNanos(1_000)).isEqualTo(25_000_000);
    }

    @Test
    void theIntervalNeverExceedsTheMaximum() {
        assertThat(pace.intervalNanos(10_000)).isEqualTo(40_000_000);
        assertThat(pace.intervalNanos(Integer.MAX_VALUE)).isEqualTo(40_000_000);
    }

    @Test
    void aMaximumOfZeroHandsEveryRunAtOnce() {
        assertThat(new FanOutPace(40_000, Duration.ZERO).intervalNanos(1_000)).isZero();
    }

    @Test
    void aBudgetOfNoWritesIsRefused() {
        assertThatThrownBy(() -> new FanOutPace(0, Duration.ofMillis(40))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FanOutPace(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
