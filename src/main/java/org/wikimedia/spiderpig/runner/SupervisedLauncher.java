package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.supervisor.LaunchOrder;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Starts each job's command under a supervisor of its own (a small JVM from the server's own code, in a
 * session of its own through {@code setsid}), so the command outlives the server: the supervisor owns its
 * pipes and writes its output to the job's spool, which {@link SupervisedProcess} reads back. A restarted
 * server finds the job again with {@link #reattach}. See docs/architecture.md, "Durable jobs".
 *
 * <p>With a spare, one supervisor is kept started ahead ({@link SpareSupervisor}) and the next job is handed
 * to it, so that the job's command starts at once instead of after a JVM's start; a new spare is started
 * once that command runs (not before: its start would compete with the command's own).
 */
public final class SupervisedLauncher implements ProcessLauncher, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedLauncher.class);
    /** A supervisor starts in well under a second; a busy 2-core machine has been seen taking several. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long START_POLL_MILLIS = 5;

    private final Path directory;
    private final List<String> supervisorCommand;
    private final Scheduler timer;
    private final Scheduler io;
    private final boolean ownsSchedulers;
    private final boolean keepSpare;
    private final AtomicInteger sparesStarted = new AtomicInteger();
    /** The spare ready for the next job, if any; whether one is being started; both guarded by {@code this}. */
    private SpareSupervisor spare;
    private boolean starting;
    private boolean closed;

    /** Supervisors' files under {@code directory}, started with {@code supervisorCommand}, no spare; schedulers of its own. */
    public SupervisedLauncher(Path directory, List<String> supervisorCommand) {
        this(directory, supervisorCommand, false);
    }

    /**
     * As above; with {@code keepSpare}, a spare supervisor is started at {@link #startSpare()} (once the server
     * has started, so that its JVM's start does not slow the server's) and after each one a job took.
     */
    public SupervisedLauncher(Path directory, List<String> supervisorCommand, boolean keepSpare) {
        this(directory, supervisorCommand, Schedulers.newParallel("process-timer", 1, true),
                Schedulers.newBoundedElastic(4, 10_000, "process-io", 60, true), true, keepSpare);
    }

    private SupervisedLauncher(Path directory, List<String> supervisorCommand, Scheduler timer, Scheduler io,
                               boolean ownsSchedulers, boolean keepSpare) {
        this.directory = directory;
        this.supervisorCommand = List.copyOf(supervisorCommand);
        this.timer = timer;
        this.io = io;
        this.ownsSchedulers = ownsSchedulers;
        this.keepSpare = keepSpare;
    }

    @Override
    public Mono<JobProcess> launch(LaunchSpec spec) {
        return Mono.<JobProcess>fromCallable(() -> start(spec)).subscribeOn(io);
    }

    @Override
    public Mono<Optional<JobProcess>> reattach(LaunchSpec spec, SpoolMark from) {
        return Mono.fromCallable(() -> {
            SupervisorFiles files = filesOf(spec.jobId());
            String started = readStarted(files);
            if (started == null || !started.startsWith("ok ")) {
                return Optional.<JobProcess>empty();
            }
            long pgid = Long.parseLong(started.substring(3).strip());
            return Optional.<JobProcess>of(new SupervisedProcess(spec, files, pgid, from, timer, io));
        }).subscribeOn(io);
    }

    private SupervisorFiles filesOf(long jobId) {
        return new SupervisorFiles(directory.resolve(Long.toString(jobId)));
    }

    private JobProcess start(LaunchSpec spec) throws IOException, InterruptedException {
        ProcessBuilder builder = SubprocessLauncher.builderFor(spec);
        SupervisorFiles files = filesOf(spec.jobId());
        if (files.socket().toString().getBytes(StandardCharsets.UTF_8).length > SupervisorFiles.MAX_SOCKET_PATH_BYTES) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + ": the path of its supervisor's socket, "
                    + files.socket() + ", is longer than the " + SupervisorFiles.MAX_SOCKET_PATH_BYTES
                    + " bytes a Unix domain socket allows; use a shorter spiderpig.data-dir");
        }
        removeAll(files.directory()); // from a job of the same id in a data directory that was reset
        SpareSupervisor warm = takeSpare();
        try {
            if (warm == null) {
                return startCold(spec, builder, files);
            }
            if (!warm.hand(LaunchOrder.of(files.directory(), spec.interruptGrace().toMillis(), builder))) {
                LOG.warn("The spare supervisor had ended before job {} could be handed to it; starting one for it",
                        spec.jobId());
                return startCold(spec, builder, files);
            }
            return started(spec, files, awaitStarted(spec, files, warm.process()));
        } finally {
            startSpareLater();
        }
    }

    private JobProcess startCold(LaunchSpec spec, ProcessBuilder builder, SupervisorFiles files)
            throws IOException, InterruptedException {
        Files.createDirectories(files.directory());
        List<String> command = new ArrayList<>();
        command.add("setsid"); // a session of its own: the server's stop, or ^C in its terminal, does not reach it
        command.addAll(supervisorCommand);
        command.add(files.directory().toString());
        command.add(Long.toString(spec.interruptGrace().toMillis()));
        command.add("--");
        command.addAll(builder.command());
        builder.command(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(files.log().toFile()));
        Process supervisor;
        try {
            supervisor = builder.start();
        } catch (IOException e) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + "'s supervisor: " + e.getMessage(), e);
        }
        return started(spec, files, awaitStarted(spec, files, supervisor));
    }

    private JobProcess started(LaunchSpec spec, SupervisorFiles files, String started) {
        if (!started.startsWith("ok ")) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + "'s command " + spec.command() + ": "
                    + started.substring(Math.min(started.length(), 6)));
        }
        long pgid = Long.parseLong(started.substring(3).strip());
        return new SupervisedProcess(spec, files, pgid, SpoolMark.START, timer, io);
    }

    private static String awaitStarted(LaunchSpec spec, SupervisorFiles files, Process supervisor)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String started = readStarted(files);
            if (started != null) {
                return started;
            }
            if (!supervisor.isAlive() && readStarted(files) == null) {
                throw new ProcessStartException("Cannot start job " + spec.jobId() + ": its supervisor exited with "
                        + supervisor.exitValue() + " before starting the command: " + logOf(files));
            }
            if (System.nanoTime() - deadline > 0) {
                supervisor.destroyForcibly();
                throw new ProcessStartException("Cannot start job " + spec.jobId() + ": its supervisor did not start"
                        + " the command within " + START_TIMEOUT + ": " + logOf(files));
            }
            Thread.sleep(START_POLL_MILLIS); // polling with a deadline: the file appears once the command runs
        }
    }

    private static String readStarted(SupervisorFiles files) throws IOException {
        try {
            return Files.readString(files.started(), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String logOf(SupervisorFiles files) {
        try {
            return Files.readString(files.log(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static void removeAll(Path directory) {
        try {
            SupervisorFiles.removeTree(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    private synchronized SpareSupervisor takeSpare() {
        SpareSupervisor taken = spare;
        spare = null;
        return taken;
    }

    /** The spare's process, once one is ready for the next job. */
    synchronized Optional<ProcessHandle> spare() {
        return spare == null ? Optional.empty() : Optional.of(spare.process().toHandle());
    }

    /** Starts the first spare, if this launcher keeps one; the next ones follow the jobs that take them. */
    public void startSpare() {
        startSpareLater();
    }

    /** On the I/O scheduler: the caller may be a job's launch, which must not wait for it. */
    private void startSpareLater() {
        if (keepSpare) {
            io.schedule(this::startSpareNow);
        }
    }

    private void startSpareNow() {
        synchronized (this) {
            if (closed || spare != null || starting) {
                return;
            }
            starting = true;
        }
        SpareSupervisor started = null;
        try {
            started = SpareSupervisor.start(directory.resolve("spare-" + ProcessHandle.current().pid() + "-"
                    + sparesStarted.incrementAndGet()), supervisorCommand);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot start a spare supervisor; the next job waits for its supervisor's start", e);
        }
        synchronized (this) {
            starting = false;
            if (started == null || !closed) {
                spare = started;
                return;
            }
        }
        started.dismiss();
    }

    @Override
    public void close() {
        SpareSupervisor left;
        synchronized (this) {
            closed = true;
            left = takeSpare();
        }
        if (left != null) {
            left.dismiss();
        }
        if (ownsSchedulers) {
            timer.dispose();
            io.dispose();
        }
    }
}
