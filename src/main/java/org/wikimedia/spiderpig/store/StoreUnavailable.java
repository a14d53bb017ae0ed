package org.wikimedia.spiderpig.store;

import java.util.Map;
import java.util.Optional;
import org.wikimedia.spiderpig.problem.Problem;

/**
 * The database could not be reached for longer than a store waits for it ({@code spiderpig.database.outage-retry}),
 * or it cut off a statement that is not safe to send again. A request gets a 503 with a retry hint; a running job
 * is let go of until the database answers again rather than failed.
 */
public final class StoreUnavailable extends Problem {

    /** What a client is told to wait before it tries again: about a database restart's time. */
    public static final long RETRY_AFTER_SECONDS = 10;

    public StoreUnavailable(String detail, Throwable cause) {
        super(503, "database-unavailable", "Database unavailable", detail, Map.of("retryAfter", RETRY_AFTER_SECONDS));
        initCause(cause);
    }

    /** The one on {@code error}'s chain of causes, if any (the database layers above wrap it). */
    public static Optional<StoreUnavailable> in(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StoreUnavailable unavailable) {
                return Optional.of(unavailable);
            }
        }
        return Optional.empty();
    }
}
