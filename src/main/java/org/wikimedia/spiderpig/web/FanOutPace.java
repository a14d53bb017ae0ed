package org.wikimedia.spiderpig.web;

import java.time.Duration;

/**
 * How often a job's {@link LogFanOut} may hand a run to its live streams: a run costs a socket write (and
 * a read by the client) per stream, so with many streams on a fast log the lines are gathered into fewer,
 * larger runs. The least time between two runs grows with the streams, so that the fan-out makes about
 * {@code writesPerSecond} socket writes a second at most, and never exceeds {@code maxInterval}. The first
 * line after a quiet spell still leaves at once; only the lines that follow it within the interval wait.
 */
record FanOutPace(long writesPerSecond, Duration maxInterval) {

    FanOutPace {
        if (writesPerSecond <= 0 || maxInterval.isNegative()) {
            throw new IllegalArgumentException("writesPerSecond must be positive and maxInterval not negative");
        }
    }

    /** The least time, in nanoseconds, from handing one run to {@code streams} streams to handing the next. */
    long intervalNanos(int streams) {
        return Math.min(streams * 1_000_000_000L / writesPerSecond, maxInterval.toNanos());
    }
}
