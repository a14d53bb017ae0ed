package org.wikimedia.spiderpig.store.r2dbc.transfer;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.Closeable;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.FileJobEventLogs;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.json.EventJson;
import org.wikimedia.spiderpig.store.DataDirectoryLock;
import org.wikimedia.spiderpig.store.r2dbc.PostgresConnections;
import org.wikimedia.spiderpig.store.r2dbc.R2dbcJobStore;
import org.wikimedia.spiderpig.store.r2dbc.SchemaMigrations;
import org.wikimedia.spiderpig.store.r2dbc.StoreConfiguration;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves a data directory's records (SQLite) and job logs (files) into an empty PostgreSQL database, so that a
 * server started on that database serves the same jobs, logs, prompts, audit trail, accounts' sessions and tokens,
 * under the same ids. It refuses, having written nothing, while a server runs on the directory, while a job is
 * queued or running (its process and spool belong to the server on this host), and when PostgreSQL already holds
 * records or logs. Both schemas are first brought to this release's version, as a server does at start. The logs
 * and then the records are copied in one transaction: if anything fails, PostgreSQL is left as empty as it was,
 * so the move can simply be run again. The data directory is left as it was (apart from that migration and a repaired
 * torn log tail).
 */
public final class DataDirectoryMove {

    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(5);

    private final Path dataDir;
    private final SpiderPigProperties.Database to;
    private final PrintStream progress;

    public DataDirectoryMove(Path dataDir, SpiderPigProperties.Database to, PrintStream progress) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.to = to;
        this.progress = progress;
    }

    /** Moves everything, or throws {@link MoveRefused} (nothing copied) or the failure (what was copied removed). */
    MoveSummary run() throws IOException {
        long started = System.nanoTime();
        Path database = dataDir.resolve(StoreConfiguration.DATABASE_FILE);
        if (!Files.isRegularFile(database)) {
            throw new MoveRefused(dataDir + " holds no " + StoreConfiguration.DATABASE_FILE
                    + ": it is not a SpiderPig data directory (--data-dir)");
        }
        Optional<DataDirectoryLock> alone = DataDirectoryLock.exclusive(dataDir);
        if (alone.isEmpty()) {
            throw new MoveRefused("a SpiderPig server is running on " + dataDir + ": stop it first (systemctl stop"
                    + " spiderpig), then run this again");
        }
        ConnectionFactory sqlite = ConnectionFactories.get("r2dbc:sqlite://" + database);
        try (DataDirectoryLock held = alone.get()) {
            migrate(sqlite, "the data directory's database");
            DatabaseClient source = DatabaseClient.create(sqlite);
            refuseUnfinishedJobs(source);
            ConnectionPool postgres = PostgresConnections.pool(to);
            try {
                return move(source, postgres, started);
            } finally {
                postgres.dispose();
            }
        } finally {
            close(sqlite);
        }
    }

    private MoveSummary move(DatabaseClient source, ConnectionPool postgres, long started) {
        migrate(postgres, "PostgreSQL");
        RecordCopy records = new RecordCopy(source, postgres, CALL_TIMEOUT);
        Map<String, Long> occupied = records.nonEmptyTargetTables();
        if (!occupied.isEmpty()) {
            throw new MoveRefused("PostgreSQL already holds " + occupied.entrySet().stream()
                    .map(table -> table.getValue() + " rows of " + table.getKey()).collect(Collectors.joining(", "))
                    + ": move into an empty database (a server started on it makes records, e.g. its audit trail)");
        }
        List<Long> jobIds = source.sql("SELECT id FROM jobs ORDER BY id").map(row -> row.get(0, Long.class)).all()
                .collectList().block(CALL_TIMEOUT);
        LogCopy logs = new LogCopy(dataDir.resolve(FileJobEventLogs.DIRECTORY), new EventJson(), progress);
        return Mono.usingWhen(Mono.from(postgres.create()),
                        connection -> copyInOneTransaction(connection, logs, jobIds, records, started),
                        Connection::close)
                // As long as the logs take: the progress shows that it moves.
                .block();
    }

    private Mono<MoveSummary> copyInOneTransaction(Connection connection, LogCopy logs, List<Long> jobIds,
            RecordCopy records, long started) {
        return Mono.from(connection.beginTransaction())
                .then(Mono.defer(() -> {
                    progress.println("event logs:");
                    return logs.copy(connection, jobIds);
                }))
                .zipWhen(copiedLogs -> {
                    progress.println("records:");
                    return records.copy(connection, progress);
                })
                .flatMap(copied -> Mono.from(connection.commitTransaction())
                        .then(Mono.fromSupplier(() -> new MoveSummary(copied.getT2(), copied.getT1(),
                                Duration.ofNanos(System.nanoTime() - started)))))
                .onErrorResume(failed -> rollBack(connection, failed));
    }

    private Mono<MoveSummary> rollBack(Connection connection, Throwable failed) {
        progress.println("failed; rolling back, so that PostgreSQL is empty again");
        return Mono.from(connection.rollbackTransaction())
                // A connection that broke took the transaction with it: the move's failure is what to report.
                .onErrorResume(rollbackFailed -> {
                    failed.addSuppressed(rollbackFailed);
                    return Mono.empty();
                })
                .then(Mono.error(failed));
    }

    private void refuseUnfinishedJobs(DatabaseClient source) {
        List<Job> unfinished = new R2dbcJobStore(source, JsonMapper.builder().build())
                .inStates(List.of(JobState.QUEUED, JobState.RUNNING, JobState.AWAITING_INPUT))
                .collectList().block(CALL_TIMEOUT);
        if (!unfinished.isEmpty()) {
            throw new MoveRefused("jobs are not finished: " + unfinished.stream()
                    .map(job -> job.id() + " (" + job.state().wireName() + ")").collect(Collectors.joining(", "))
                    + ". Their processes belong to the server on this host: start it again, let them finish (or"
                    + " cancel them), stop it, then run this again");
        }
    }

    private void migrate(ConnectionFactory connections, String what) {
        int version = new SchemaMigrations(connections, "db/migration", Clock.systemUTC()).migrate().block(CALL_TIMEOUT);
        progress.println(what + " is at schema version " + version);
    }

    private static void close(ConnectionFactory connections) {
        if (connections instanceof Closeable closeable) {
            Mono.from(closeable.close()).block(CALL_TIMEOUT);
        } else if (connections instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the data directory's database", e);
            }
        }
    }
}
