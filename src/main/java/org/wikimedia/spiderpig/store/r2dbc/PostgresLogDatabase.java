package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
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
import reactor.core.publisher.Mono;

/**
 * Jobs' event logs in PostgreSQL's {@code job_events} table, and the notices of new rows: every server listens on
 * {@value PostgresLogStorage#CHANNEL} over one connection of its own (see {@link PostgresNotices}).
 */
public final class PostgresLogDatabase implements LogDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresLogDatabase.class);

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
        return PostgresNotices.listen(listenerConnections, PostgresLogStorage.CHANNEL, listener::resumed,
                        "job event notices")
                .subscribe(payload -> deliver(payload, listener),
                        error -> LOG.error("job event notices stopped", error));
    }

    private static void deliver(String payload, NoticeListener listener) {
        try {
            LogNotice notice = LogNotice.parse(payload);
            listener.stored(notice.jobId(), notice.tip());
        } catch (RuntimeException e) {
            LOG.warn("job event notices: ignoring {}", payload, e);
        }
    }
}
