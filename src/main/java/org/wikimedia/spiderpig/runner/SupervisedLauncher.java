package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Starts each job's command under a supervisor of its own (a small JVM from the server's own code, in a
 * session of its own through {@code setsid}), so the command outlives the server: the supervisor owns its
 * pipes and writes its output to the job's spool, which {@link SupervisedProcess} reads back. A restarted
 * server finds the job again with {@link #reattach}. See docs/architecture.md, "Durable jobs".
 */
public final class SupervisedLauncher implements ProcessLauncher, AutoCloseable {

    /** A supervisor starts in well under a second; a busy 2-core machine has been seen taking several. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long START_POLL_MILLIS = 5;

    private final Path directory;
    private final List<String> supervisorCommand;
    private final Scheduler timer;
    private final Scheduler io;
    private final boolean ownsSchedulers;

    /** Supervisors' files under {@code directory}, started with {@code supervisorCommand}; schedulers of its own. */
    public SupervisedLauncher(Path directory, List<String> supervisorCommand) {
        this(directory, supervisorCommand, Schedulers.newParallel("process-timer", 1, true),
                Schedulers.newBoundedElastic(4, 10_000, "process-io", 60, true), true);
    }

    private SupervisedLauncher(Path directory, List<String> supervisorCommand, Scheduler timer, Scheduler io,
                               boolean ownsSchedulers) {
        this.directory = directory;
        this.supervisorCommand = List.copyOf(supervisorCommand);
        this.timer = timer;
        this.io = io;
        this.ownsSchedulers = ownsSchedulers;
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
        String started = awaitStarted(spec, files, supervisor);
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
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + directory, e);
        }
    }

    @Override
    public void close() {
        if (ownsSchedulers) {
            timer.dispose();
            io.dispose();
        }
    }
}
