package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.postgresql.api.Notification;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.eventlog.LogDatabase;
import org.wikimedia.spiderpig.eventlog.LogStorage;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Jobs' event logs in PostgreSQL's {@code job_events} table, and the notices of new rows: every server listens on
 * {@value PostgresLogStorage#CHANNEL} over one connection of its own (outside the pool, which would take it back),
 * made again with a growing pause (up to {@link #MAX_RECONNECT_PAUSE}) whenever it is lost.
 */
public final class PostgresLogDatabase implements LogDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLogDatabase.class);
    static final Duration FIRST_RECONNECT_PAUSE = Duration.ofMillis(100);
    static final Duration MAX_RECONNECT_PAUSE = Duration.ofSeconds(5);

    private final DatabaseClient db;
    private final ConnectionFactory listenerConnections;
    private final EventJson json;
    private final Duration timeout;
    private final OutageRetry outageRetry;

    /**
     * @param pooled the connections for reads and writes
     * @param unpooled where the connection that listens comes from (the same database, not a pool)
     * @param timeout how long a blocking call waits for the database before it fails
     * @param outageRetry how long a log's call is tried again while the database is unreachable
     */
    public PostgresLogDatabase(ConnectionFactory pooled, ConnectionFactory unpooled, EventJson json, Duration timeout,
            Duration outageRetry) {
        this.db = DatabaseClient.create(pooled);
        this.listenerConnections = unpooled;
        this.json = json;
        this.timeout = timeout;
        this.outageRetry = new OutageRetry(outageRetry);
    }

    @Override
    public LogStorage storage(long jobId) {
        return new OutageTolerantLogStorage(jobId, new PostgresLogStorage(jobId, db, json, timeout), outageRetry);
    }

    @Override
    public Mono<Void> delete(long jobId) {
        return db.sql("DELETE FROM job_events WHERE job_id = $1").bind(0, jobId).fetch().rowsUpdated().then();
    }

    /** Each row's size as stored ({@code pg_column_size} of the row), summed by job: one scan of the table. */
    @Override
    public Mono<Map<Long, Long>> sizes() {
        return db.sql("SELECT job_id, SUM(pg_column_size(job_events.*))::bigint AS bytes FROM job_events GROUP BY job_id")
                .map(row -> Map.entry(row.get("job_id", Long.class), row.get("bytes", Long.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .map(sizes -> (Map<Long, Long>) sizes);
    }

    @Override
    public Disposable listen(NoticeListener listener) {
        return Flux.usingWhen(listenerConnections.create(), connection -> notices(connection, listener),
                        Connection::close)
                // A notice stream only ends when its connection does.
                .concatWith(Mono.error(() -> new IllegalStateException("the connection that listens was closed")))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, FIRST_RECONNECT_PAUSE).maxBackoff(MAX_RECONNECT_PAUSE)
                        // The pause grows only while reconnecting fails, not across an hour of working.
                        .transientErrors(true)
                        .doBeforeRetry(retry -> LOG.warn("job event notices: listening again after {}",
                                retry.failure().toString())))
                .subscribe(notification -> deliver(notification, listener),
                        error -> LOG.error("job event notices stopped", error));
    }

    private static Flux<Notification> notices(Connection connection, NoticeListener listener) {
        PostgresqlConnection postgres = (PostgresqlConnection) connection;
        // Subscribed to before LISTEN, so that no notice falls between the two.
        Flux<Notification> notices = postgres.getNotifications();
        Mono<Notification> listening = Flux.from(postgres.createStatement("LISTEN " + PostgresLogStorage.CHANNEL)
                        .execute())
                .flatMap(Result::getRowsUpdated)
                .then(Mono.fromRunnable(listener::resumed));
        return notices.mergeWith(listening);
    }

    private static void deliver(Notification notification, NoticeListener listener) {
        try {
            LogNotice notice = LogNotice.parse(notification.getParameter());
            listener.stored(notice.jobId(), notice.tip());
        } catch (RuntimeException e) {
            LOG.warn("job event notices: ignoring {}", notification.getParameter(), e);
        }
    }
}
