package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import org.wikimedia.spiderpig.store.StoreUnavailable;
import reactor.core.publisher.Mono;

/**
 * The pool as the stores use it: a connection that cannot be had (the database restarting, failing over) is
 * asked for again ({@link OutageRetry}), so a job's state update or an answer waits out a short outage instead
 * of failing. Only getting the connection is tried again: a statement sent may have been carried out, and
 * running it twice is not every store's to risk. The health check uses the pool itself, so it reports the
 * database down at once. A connection still not had after the retry is a {@link StoreUnavailable}: a request's
 * 503, and a running job let go of until the database answers again.
 */
final class OutageTolerantConnections implements ConnectionFactory {

    private final ConnectionFactory pool;
    private final OutageRetry retry;

    OutageTolerantConnections(ConnectionFactory pool, OutageRetry retry) {
        this.pool = pool;
        this.retry = retry;
    }

    @Override
    public Publisher<? extends Connection> create() {
        return Mono.from(pool.create()).retryWhen(retry.spec("a connection to the database"))
                .onErrorMap(OutageRetry::isOutage, e -> new StoreUnavailable(
                        "The database did not answer for " + retry.patience() + "; nothing was done. Try again.", e));
    }

    @Override
    public ConnectionFactoryMetadata getMetadata() {
        return pool.getMetadata();
    }
}
