package org.wikimedia.spiderpig.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.store.StoreBackup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Backs up a running server into {@code <backups>/backup-<time>}: first a consistent copy of the database, then
 * the logs of exactly the jobs that copy holds (a log of a job created later would otherwise be picked up by the
 * restored server's next job of that id). Logs are copied as far as they are written; a running job's copy may end
 * in a torn record, which the restored server repairs, and marks that job interrupted. The directory appears under
 * its final name only when it is complete.
 */
public class BackupService implements AutoCloseable {

    /** Where, under a backup, the logs go: the same layout as the data directory, so a restore is a copy. */
    public static final String LOGS = "logs";

    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'backup-'yyyyMMdd-HHmmss-SSS")
            .withZone(ZoneOffset.UTC);

    private final StoreBackup store;
    private final JobEventLogs logs;
    private final MaintenanceLock lock;
    private final Path backups;
    private final Scheduler files;
    private final Clock clock;
    private final AtomicLong completed = new AtomicLong();

    /** @param files runs the blocking directory work (bounded, named for it); disposed by {@link #close()} */
    public BackupService(StoreBackup store, JobEventLogs logs, MaintenanceLock lock, Path backups, Scheduler files,
                         Clock clock) {
        this.store = store;
        this.logs = logs;
        this.lock = lock;
        this.backups = backups.toAbsolutePath().normalize();
        this.files = files;
        this.clock = clock;
    }

    /** Backups completed since the server started. */
    public long completed() {
        return completed.get();
    }

    public Mono<BackupReport> backup() {
        return lock.exclusively("backup", Mono.defer(() -> {
            Instant started = clock.instant();
            Path target = backups.resolve(NAME.format(started));
            Path partial = target.resolveSibling(target.getFileName() + ".partial");
            return onFiles(() -> Files.createDirectories(partial))
                    .then(store.copyInto(partial))
                    .flatMap(jobIds -> copyLogs(jobIds, partial.resolve(LOGS))
                            .flatMap(logBytes -> onFiles(() -> finish(partial, target, started, jobIds, logBytes))))
                    .onErrorResume(error -> onFiles(() -> deleteTree(partial)).then(Mono.error(error)));
        })).doOnNext(report -> {
            completed.incrementAndGet();
            LOG.info("backup of {} jobs written to {} ({} bytes of database, {} bytes of logs)", report.jobs(),
                    report.path(), report.databaseBytes(), report.logBytes());
        }).doOnError(error -> LOG.warn("backup failed: {}", error.toString()));
    }

    private Mono<Long> copyLogs(List<Long> jobIds, Path target) {
        return Flux.fromIterable(jobIds)
                .concatMap(id -> logs.copyTo(id, target))
                .reduce(0L, Long::sum);
    }

    private BackupReport finish(Path partial, Path target, Instant started, List<Long> jobIds, long logBytes)
            throws IOException {
        long databaseBytes;
        try (Stream<Path> copies = Files.list(partial)) {
            databaseBytes = copies.filter(Files::isRegularFile).mapToLong(BackupService::size).sum();
        }
        Files.move(partial, target);
        return new BackupReport(target.toString(), started, clock.instant(), jobIds.size(), databaseBytes, logBytes);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
        return null;
    }

    private interface FileWork<T> {
        T run() throws IOException;
    }

    @Override
    public void close() {
        files.dispose();
    }

    private <T> Mono<T> onFiles(FileWork<T> work) {
        return Mono.fromCallable(work::run).subscribeOn(files);
    }
}
