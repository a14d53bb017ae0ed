package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.R2dbcBadGrammarException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.springframework.dao.DataIntegrityViolationException;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * How a call to PostgreSQL waits out the database being unreachable for a while (a restart, a failover, its
 * connections ended by an operator): tried again after pauses that grow from {@link #FIRST_PAUSE} to
 * {@link #MAX_PAUSE}, for at most {@code spiderpig.database.outage-retry} from its first failure; then that
 * attempt's failure stands. A statement the database refuses as written is not tried again: it stays wrong.
 */
final class OutageRetry {

    private static final Logger LOG = LoggerFactory.getLogger(OutageRetry.class);
    static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_PAUSE = Duration.ofSeconds(2);

    private final Duration patience;

    OutageRetry(Duration patience) {
        this.patience = patience;
    }

    Duration patience() {
        return patience;
    }

    /**
     * Whether {@code failure} may be the database being away, rather than an answer to the statement: refused as
     * written, or a key already taken (by another server's write: trying again would not change that).
     */
    static boolean isOutage(Throwable failure) {
        return !(failure instanceof R2dbcBadGrammarException || failure instanceof Error
                || failure instanceof LogStorage.Overtaken || failure instanceof DataIntegrityViolationException);
    }

    /** For {@code retryWhen}; {@code what} names the call in the warning logged at its first failure. */
    Retry spec(String what) {
        return spec(what, OutageRetry::isOutage);
    }

    /** {@link #spec(String)} for the failures {@code repeatable} accepts only; any other stands at once. */
    Retry spec(String what, Predicate<Throwable> repeatable) {
        return Retry.from(failures -> {
            long[] firstFailure = new long[1];
            return failures.concatMap(signal -> {
                long retries = signal.totalRetries();
                if (retries == 0) {
                    firstFailure[0] = System.nanoTime();
                }
                Duration pause = repeatable.test(signal.failure())
                        ? pauseBeforeRetry(what, signal.failure(), retries, firstFailure[0]) : null;
                return pause == null ? Mono.error(signal.failure()) : Mono.delay(pause);
            });
        });
    }

    /**
     * Calls {@code call} on the calling thread (one that may block: the event logs' own), again after each pause
     * while it fails. The pauses are slept here rather than on a timer, so that every attempt runs on this
     * thread: a timer's thread may not block, and the call does.
     */
    <T> T await(String what, Callable<T> call) throws IOException {
        long firstFailure = 0;
        for (long retries = 0; ; retries++) {
            try {
                return call.call();
            } catch (Exception failure) {
                if (retries == 0) {
                    firstFailure = System.nanoTime();
                }
                Duration pause = pauseBeforeRetry(what, failure, retries, firstFailure);
                if (pause == null) {
                    throw rethrown(failure);
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.addSuppressed(e);
                    throw rethrown(failure);
                }
            }
        }
    }

    /** The pause before the next attempt, or null to give up with {@code failure}. */
    private Duration pauseBeforeRetry(String what, Throwable failure, long retries, long firstFailureNanos) {
        if (!isOutage(failure) || System.nanoTime() - firstFailureNanos >= patience.toNanos()) {
            return null;
        }
        if (retries == 0) {
            LOG.warn("{}: the database did not answer ({}); trying again for up to {}", what, failure, patience);
        }
        return pause(retries);
    }

    private static IOException rethrown(Exception failure) throws IOException {
        if (failure instanceof IOException io) {
            throw io;
        }
        throw Exceptions.propagate(failure);
    }

    private static Duration pause(long retries) {
        long millis = FIRST_PAUSE.toMillis() << Math.min(retries, 10);
        return Duration.ofMillis(Math.min(millis, MAX_PAUSE.toMillis()));
    }
}
