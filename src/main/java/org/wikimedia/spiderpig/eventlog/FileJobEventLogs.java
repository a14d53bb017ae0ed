package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Jobs' event logs as files in one directory ({@code <data-dir>/logs}), three files a job (see
 * {@link LogFiles}). A running job's log holds three write handles until its {@code JobEnded} is written;
 * reads open short-lived handles on the I/O scheduler, so open files stay bounded by the running jobs
 * plus the I/O threads. Logs are cached; beyond {@link EventLogSettings#cachedLogs()} the least recently
 * used ended ones are dropped (they are reopened from the files when asked for again). An ended log keeps
 * no more than {@link EventLogSettings#endedRingBytes()} of events in memory, so the cache costs at most
 * about {@code cachedLogs × endedRingBytes} for finished jobs.
 */
public final class FileJobEventLogs implements JobEventLogs, AutoCloseable {

    /** Name of the scheduler that runs every blocking file operation of the logs. */
    public static final String IO_SCHEDULER_NAME = "event-log-io";
    /** The logs' directory under the data directory. */
    public static final String DIRECTORY = "logs";

    private final Path directory;
    private final EventJson json;
    private final Scheduler io;
    private final Scheduler delivery;
    private final Clock clock;
    private final EventLogSettings settings;
    private final boolean ownsIo;
    private final LogCache logs;

    /**
     * @param directory where the files go; created if missing
     * @param json the codec of stored records
     * @param io runs every blocking file operation; bounded, named {@value #IO_SCHEDULER_NAME}
     * @param delivery where woken followers continue (never blocked on by the log), e.g. {@code Schedulers.parallel()}
     * @param clock gives events their {@code ts}
     */
    public FileJobEventLogs(Path directory, EventJson json, Scheduler io, Scheduler delivery, Clock clock,
            EventLogSettings settings) {
        this(directory, json, io, delivery, clock, settings, false);
    }

    /** Production defaults: its own {@value #IO_SCHEDULER_NAME} scheduler (disposed by {@link #close()}). */
    public FileJobEventLogs(Path directory, EventJson json) {
        this(directory, json, EventLogSettings.defaults());
    }

    /** Its own {@value #IO_SCHEDULER_NAME} scheduler (disposed by {@link #close()}), the given settings. */
    public FileJobEventLogs(Path directory, EventJson json, EventLogSettings settings) {
        this(directory, json, newIoScheduler(), Schedulers.parallel(), Clock.systemUTC(), settings, true);
    }

    private FileJobEventLogs(Path directory, EventJson json, Scheduler io, Scheduler delivery, Clock clock,
            EventLogSettings settings, boolean ownsIo) {
        this.directory = directory;
        this.json = json;
        this.io = io;
        this.delivery = delivery;
        this.clock = clock;
        this.settings = settings;
        this.ownsIo = ownsIo;
        this.logs = new LogCache(settings.cachedLogs(), this::newLog);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the event log directory " + directory, e);
        }
    }

    /** A bounded scheduler for the logs' file I/O: 4 threads, so reads of history never starve writes. */
    public static Scheduler newIoScheduler() {
        return Schedulers.newBoundedElastic(4, 100_000, IO_SCHEDULER_NAME);
    }

    /**
     * The log object at once, without I/O: its files are read on first use, on the I/O scheduler (or
     * by {@link JobEventLog#lastSeq()}/{@link JobEventLog#lineCount()} in the caller's thread if nothing
     * read them before; use {@link #open(long)} on request paths).
     */
    @Override
    public JobEventLog forJob(long jobId) {
        return logs.forJob(jobId);
    }

    /**
     * One job's files as the storage beneath its log, for a tool that reads them with no server running (moving
     * them to PostgreSQL). Blocking, and its {@link LogStorage#recover()} repairs a torn tail as a server would.
     */
    public static LogStorage storage(Path directory, long jobId, EventJson json) {
        return new LogFiles(directory, jobId, json);
    }

    private StoredJobEventLog newLog(long jobId) {
        return new StoredJobEventLog(jobId, new LogFiles(directory, jobId, json), io, delivery, clock, settings);
    }

    @Override
    public Mono<JobEventLog> open(long jobId) {
        StoredJobEventLog log = (StoredJobEventLog) forJob(jobId);
        return log.load().thenReturn(log);
    }

    @Override
    public Mono<Void> delete(long jobId) {
        return Mono.<Void>fromCallable(() -> {
            StoredJobEventLog log = logs.remove(jobId);
            (log != null ? log : newLog(jobId)).delete();
            return null;
        }).subscribeOn(io);
    }

    @Override
    public Mono<Map<Long, Long>> sizesOnDisk() {
        return Mono.fromCallable(() -> {
            Map<Long, Long> sizes = new HashMap<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    long jobId = LogFiles.jobIdOf(file);
                    if (jobId > 0) {
                        try {
                            sizes.merge(jobId, Files.size(file), Long::sum);
                        } catch (NoSuchFileException deletedMeanwhile) {
                            // a log removed while the directory was listed takes no room
                        }
                    }
                }
            }
            return sizes;
        }).subscribeOn(io);
    }

    @Override
    public Mono<Long> copyTo(long jobId, Path target) {
        return Mono.fromCallable(() -> LogFiles.copy(directory, jobId, target)).subscribeOn(io);
    }

    @Override
    public void close() {
        if (ownsIo) {
            io.dispose();
        }
    }
}
