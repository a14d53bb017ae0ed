package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A statement the database cut off mid-flight (its connection ended: a restart, a failover, an operator's
 * {@code pg_terminate_backend}) is sent again on a new connection, for up to {@code spiderpig.database.outage-retry},
 * when it is safe to repeat: a read, or a write whose repeat leaves the same rows and gives the same answer (each
 * store says which of its statements are). A statement not marked so is not repeated, since it may have been
 * carried out; a request then gets a 503 ({@code ProblemHandler}), the statement done whole or not at all.
 */
final class StatementRepeat {

    private final OutageRetry retry;

    private StatementRepeat(OutageRetry retry) {
        this.retry = retry;
    }

    static StatementRepeat within(OutageRetry retry) {
        return new StatementRepeat(retry);
    }

    /** SQLite's: its file is this process's own, and nothing ends a statement under way. */
    static StatementRepeat never() {
        return new StatementRepeat(null);
    }

    <T> Mono<T> repeatable(String what, Mono<T> statement) {
        if (retry == null) {
            return statement;
        }
        return statement.retryWhen(retry.spec(what, StatementRepeat::cutOff));
    }

    /** Repeated only while none of its rows was handed on: a repeat must not give one twice. */
    <T> Flux<T> repeatable(String what, Flux<T> statement) {
        if (retry == null) {
            return statement;
        }
        return Flux.defer(() -> {
            AtomicBoolean handedOn = new AtomicBoolean();
            return statement.doOnNext(row -> handedOn.set(true))
                    .retryWhen(retry.spec(what, failure -> !handedOn.get() && cutOff(failure)));
        });
    }

    /**
     * The connection went away under the statement: not an answer to it. A connection that could not be had at all
     * was waited for already ({@link OutageTolerantConnections}).
     */
    static boolean cutOff(Throwable failure) {
        if (StoreUnavailable.in(failure).isPresent()) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof R2dbcNonTransientResourceException || cause instanceof R2dbcTransientResourceException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
