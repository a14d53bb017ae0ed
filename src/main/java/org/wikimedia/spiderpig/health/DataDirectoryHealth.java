package org.wikimedia.spiderpig.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The data directory takes writes (a file is created and removed, which a read-only or broken mount
 * refuses) and its disk has at least the configured free space: without both, jobs cannot log.
 */
class DataDirectoryHealth implements ReactiveHealthIndicator, AutoCloseable {

    private final Path directory;
    private final DataSize minFree;
    private final Scheduler files;

    DataDirectoryHealth(Path directory, DataSize minFree, Scheduler files) {
        this.directory = directory;
        this.minFree = minFree;
        this.files = files;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromCallable(this::check).subscribeOn(files);
    }

    /** Disposes the scheduler it was given (Spring calls this when the context closes). */
    @Override
    public void close() {
        files.dispose();
    }

    private Health check() {
        Health.Builder health = Health.up().withDetail("path", directory.toString())
                .withDetail("threshold", minFree.toBytes());
        try {
            Files.delete(Files.createTempFile(directory, ".health-", ".tmp"));
        } catch (IOException | RuntimeException e) {
            return health.down().withDetail("error", "not writable: " + e).build();
        }
        long free;
        try {
            free = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return health.down().withDetail("error", "free space unknown: " + e).build();
        }
        health.withDetail("free", free);
        if (free < minFree.toBytes()) {
            return health.down().withDetail("error", "less free space than spiderpig.health.min-free-space").build();
        }
        return health.build();
    }
}
