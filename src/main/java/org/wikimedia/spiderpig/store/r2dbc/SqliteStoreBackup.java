package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.nio.file.Path;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.store.StoreBackup;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * SQLite's {@code VACUUM INTO}: one statement that writes a transactionally consistent copy of the live database
 * (the writer waits for it, typically milliseconds for SpiderPig's records). The copy is then opened on its own to
 * tell which jobs it holds, since jobs created meanwhile are in the live database but not in the copy.
 */
public class SqliteStoreBackup implements StoreBackup, AutoCloseable {

    private final DatabaseClient db;
    private final Scheduler copies;

    /** @param copies opens and closes the copy (closing waits for the copy's own threads, so it runs here) */
    public SqliteStoreBackup(DatabaseClient db, Scheduler copies) {
        this.db = db;
        this.copies = copies;
    }

    @Override
    public Mono<List<Long>> copyInto(Path directory) {
        Path target = directory.toAbsolutePath().normalize().resolve(StoreConfiguration.DATABASE_FILE);
        return db.sql("VACUUM INTO :file").bind("file", target.toString()).then()
                .then(Mono.usingWhen(
                        Mono.fromSupplier(() -> ConnectionFactories.get(
                                "r2dbc:sqlite://" + target + "?readers=0&journalMode=DELETE")),
                        copy -> jobIds(copy).publishOn(copies),
                        copy -> Mono.fromRunnable(() -> close(copy)).subscribeOn(copies)));
    }

    private static Mono<List<Long>> jobIds(ConnectionFactory copy) {
        return DatabaseClient.create(copy).sql("SELECT id FROM jobs ORDER BY id")
                .map(row -> row.get("id", Long.class))
                .all()
                .collectList();
    }

    private static void close(ConnectionFactory copy) {
        if (copy instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        copies.dispose();
    }
}
