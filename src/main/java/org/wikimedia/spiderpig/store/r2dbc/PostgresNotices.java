package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * PostgreSQL's notices on one channel ({@code LISTEN}), over a connection of its own: outside the pool, which
 * would take it back. The connection is made again with a growing pause (up to {@link #MAX_RECONNECT_PAUSE})
 * whenever it is lost; each time it listens (the first time too) {@code resumed} runs, since notices sent while
 * nobody listened are gone.
 */
final class PostgresNotices {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresNotices.class);
    static final Duration FIRST_RECONNECT_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(5);

    private PostgresNotices() {
    }

    /** The payloads of the channel's notices, never ending (until cancelled); {@code what} names them in the log. */
    static Flux<String> listen(ConnectionFactory unpooled, String channel, Runnable resumed, String what) {
        return Flux.usingWhen(unpooled.create(), connection -> notices(connection, channel, resumed),
                        Connection::close)
                // A notice stream only ends when its connection does.
                .concatWith(Mono.error(() -> new IllegalStateException("the connection that listens was closed")))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RECONNECT_PAUSE).maxBackoff(MAX_RECONNECT_PAUSE)
                        // The pause grows only while reconnecting fails, not across an hour of working.
                        .transientErrors(true)
                        .doBeforeRetry(retry -> LOG.warn("{}: listening again after {}", what,
                                retry.failure().toString())))
                .map(notification -> notification.getParameter() == null ? "" : notification.getParameter());
    }

    private static Flux<Notification> notices(Connection connection, String channel, Runnable resumed) {
        PostgresqlConnection postgres = (PostgresqlConnection) connection;
        // Subscribed to before LISTEN, so that no notice falls between the two.
        Flux<Notification> notices = postgres.getNotifications();
        Mono<Notification> listening = Flux.from(postgres.createStatement("LISTEN " + channel).execute())
                .flatMap(Result::getRowsUpdated)
                .then(Mono.fromRunnable(resumed));
        return notices.mergeWith(listening);
    }
}
