package org.wikimedia.spiderpig.store;

import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Mono;

/** Consistent copies of the records while the server runs. */
public interface StoreBackup {

    /**
     * Writes a consistent copy of every record (jobs, prompts, the schema's version) into {@code directory}, as a
     * file named like the live database's; emits the ids of the jobs the copy holds, oldest first.
     */
    Mono<List<Long>> copyInto(Path directory);
}
