package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Starts job commands as real subprocesses, each in a process group of its own (through {@code setsid}
 * from util-linux, which execs the command in place, so its pid is its process group id).
 *
 * <p>The command's environment is the server's, plus {@code FORCE_COLOR=1} and
 * {@code PYTHONUNBUFFERED=1}, plus the spec's environment (which may override those two), plus
 * {@code SPIDERPIG_IO_KEY} (which nothing overrides).
 */
public final class SubprocessLauncher implements ProcessLauncher, AutoCloseable {

    private static final String SETSID = "setsid";
    private static final String ENV = "env";

    private final Scheduler timer;
    private final Scheduler io;
    private final boolean ownsSchedulers;

    /** With schedulers of its own ({@code process-timer}, {@code process-io}), disposed by {@link #close()}. */
    public SubprocessLauncher() {
        this(Schedulers.newParallel("process-timer", 1, true),
                Schedulers.newBoundedElastic(4, 10_000, "process-io", 60, true), true);
    }

    /**
     * @param timer runs prompt idle checks and cancel grace periods (short, non-blocking tasks)
     * @param io    runs blocking work: starting processes, writing answers, sending signals, reading /proc
     */
    public SubprocessLauncher(Scheduler timer, Scheduler io) {
        this(timer, io, false);
    }

    private SubprocessLauncher(Scheduler timer, Scheduler io, boolean ownsSchedulers) {
        this.timer = timer;
        this.io = io;
        this.ownsSchedulers = ownsSchedulers;
    }

    @Override
    public Mono<JobProcess> launch(LaunchSpec spec) {
        return Mono.<JobProcess>fromCallable(() -> start(spec)).subscribeOn(io);
    }

    private JobProcess start(LaunchSpec spec) {
        ProcessBuilder builder = builderFor(spec);
        try {
            return new Subprocess(spec, builder.start(), timer, io);
        } catch (IOException e) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + "'s command " + spec.command()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The command line, environment and directory a job's command starts with (in a process group of its own);
     * fails with {@link ProcessStartException} for a command that cannot be started.
     */
    static ProcessBuilder builderFor(LaunchSpec spec) {
        if (spec.command() == null || spec.command().isEmpty()) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + ": its command is empty");
        }
        Path directory = spec.workingDirectory();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + ": working directory "
                    + directory + " does not exist or is not a directory");
        }
        ProcessBuilder builder = new ProcessBuilder();
        Map<String, String> environment = builder.environment();
        environment.put("FORCE_COLOR", "1");
        environment.put("PYTHONUNBUFFERED", "1");
        if (spec.environment() != null) {
            environment.putAll(spec.environment());
        }
        environment.put("SPIDERPIG_IO_KEY", spec.ioKey());

        String executable = resolveExecutable(spec, environment.get("PATH"));
        List<String> command = jobPrefix();
        command.add(executable);
        command.addAll(spec.command().subList(1, spec.command().size()));
        builder.command(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        return builder;
    }

    /** What every job's command runs under: a process group of its own, with SIGINT handled by default. */
    private static List<String> jobPrefix() {
        List<String> command = new ArrayList<>();
        command.add(SETSID);
        command.add("--wait"); // only matters if setsid had to fork: then it still reports the exit code
        // A server started from a non-interactive shell in the background inherits SIGINT ignored, and
        // so would every job; cancel starts with SIGINT, so give the job the default handling back.
        command.add(ENV);
        command.add("--default-signal=INT,QUIT");
        return command;
    }

    /**
     * Starts {@code true} the way jobs start (setsid, env) and waits for it to succeed: the proof, for the
     * readiness check, that this server can still start jobs (setsid and env present, no process limit hit).
     */
    public Mono<Void> probe(Duration timeout) {
        return Mono.fromCallable(() -> {
            List<String> command = jobPrefix();
            command.add("true");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new ProcessStartException("a test process (" + String.join(" ", command)
                        + ") did not end within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new ProcessStartException("a test process (" + String.join(" ", command) + ") exited with "
                        + process.exitValue());
            }
            return true;
        }).subscribeOn(io).then();
    }

    /**
     * Finds the executable the way the shell would, so a missing command fails the start with a clear
     * message instead of a job whose only output is setsid's complaint.
     */
    private static String resolveExecutable(LaunchSpec spec, String path) {
        try {
            return Executables.resolve(spec.command().get(0), spec.workingDirectory(), path).toString();
        } catch (IllegalArgumentException e) {
            throw new ProcessStartException("Cannot start job " + spec.jobId() + ": " + e.getMessage());
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
