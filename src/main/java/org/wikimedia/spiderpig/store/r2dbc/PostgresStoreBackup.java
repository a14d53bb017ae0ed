package org.wikimedia.spiderpig.store.r2dbc;

import java.nio.file.Path;
import java.util.List;
import org.wikimedia.spiderpig.problem.Problem;
import org.wikimedia.spiderpig.store.StoreBackup;
import reactor.core.publisher.Mono;

/**
 * On PostgreSQL the records are backed up by the database's own tools, which also see what other instances
 * write; a copy made by one server would be neither consistent with them nor restorable as a data directory.
 */
public class PostgresStoreBackup implements StoreBackup {

    static final String TYPE = "backup-by-database";

    @Override
    public Mono<List<Long>> copyInto(Path directory) {
        return Mono.error(new Problem(409, TYPE, "Back up PostgreSQL with its own tools",
                "This server keeps its records in PostgreSQL (spiderpig.database.url): back them up with pg_dump or"
                        + " the database's replication, and the data directory's logs with a file copy"
                        + " (docs/operations.md#postgresql)."));
    }
}
