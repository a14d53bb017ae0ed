package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.supervisor.SupervisorFiles;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A job command run by its supervisor (see {@link SupervisedLauncher}): its output is read back from the
 * spool by a thread of its own ({@code job-<id>-spool}), from a {@link SpoolMark} on; answers and signals
 * go to the supervisor over its socket. The command does not depend on this object: the server may stop
 * ({@link #detach()}) or die, and a later server reads on from the mark its log kept.
 */
final class SupervisedProcess implements JobProcess {

    private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);

    private final LaunchSpec spec;
    private final SupervisorFiles files;
    private final long pgid;
    private final SpoolMark from;
    private final Scheduler timer;
    private final Scheduler io;
    private final SupervisorClient client;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Sinks.Empty<Void> failure = Sinks.empty();
    private final AtomicReference<Mono<Void>> cancellation = new AtomicReference<>();
    private volatile SpoolTail tail;
    private volatile Demand demand;
    private volatile boolean detached;

    SupervisedProcess(LaunchSpec spec, SupervisorFiles files, long pgid, SpoolMark from, Scheduler timer, Scheduler io) {
        this.spec = spec;
        this.files = files;
        this.pgid = pgid;
        this.from = from;
        this.timer = timer;
        this.io = io;
        this.client = new SupervisorClient(files.socket());
    }

    @Override
    public long pid() {
        return pgid;
    }

    @Override
    public Flux<RunnerEvent> events() {
        return Flux.create(sink -> {
            if (!subscribed.compareAndSet(false, true)) {
                sink.error(new IllegalStateException("the events of job " + spec.jobId() + " can be subscribed once"));
                return;
            }
            Demand wanted = new Demand();
            demand = wanted;
            sink.onRequest(wanted::add);
            sink.onCancel(wanted::cancel);
            Thread reader = new Thread(() -> read(sink, wanted), "job-" + spec.jobId() + "-spool");
            reader.setDaemon(true);
            reader.start();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private void read(FluxSink<RunnerEvent> sink, Demand wanted) {
        EventSink events = new DemandedEvents(sink, wanted,
                (stream, error) -> failed("handling the command's " + stream.wireName() + " failed", error));
        try {
            MarkingSink marks = new MarkingSink(events, from);
            AtomicBoolean protocolSpoken = new AtomicBoolean();
            PlainPrompts prompts = new PlainPrompts(spec.promptPatterns());
            StreamPump stdout = new StreamPump(OutputLine.Stream.STDOUT, null, spec.maxLineBytes(),
                    new ProtocolParser(spec.ioKey()), prompts, protocolSpoken, marks, timer, spec.promptIdle(), () -> {
                    });
            StreamPump stderr = new StreamPump(OutputLine.Stream.STDERR, null, spec.maxLineBytes(), null, prompts,
                    protocolSpoken, marks, timer, spec.promptIdle(), () -> {
                    });
            SpoolTail reading = new SpoolTail(files, from, stdout, stderr, marks, client, this::supervisorAlive);
            tail = reading;
            if (detached) {
                reading.detach();
            }
            SpoolTail.End end = reading.run();
            if (end instanceof SpoolTail.End.Exited exited) {
                events.emitWithoutWaiting(new RunnerEvent.Exited(exited.exitCode(), Subprocess.signalOf(exited.exitCode())));
            } else if (end instanceof SpoolTail.End.SupervisorGone) {
                events.emitWithoutWaiting(new RunnerEvent.Lost(lost()));
            }
            sink.complete();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SpoolTail.StreamFailure e) {
            failed("reading the command's " + e.stream().wireName() + " failed (thread job-" + spec.jobId() + "-spool)",
                    e.getCause());
        } catch (Throwable e) {
            failed("reading the job's spool " + files.spool() + " failed (thread job-" + spec.jobId() + "-spool)", e);
        }
    }

    /** The supervisor died before the command's end was recorded: end what is left of the job, and say so. */
    private String lost() {
        boolean ended = ProcessGroups.terminateIfAlive(pgid, spec.ioKey(), spec.terminateGrace());
        String reason = "The job's supervising process ended before its command did (it was killed, or the machine"
                + " restarted), so the command's end is unknown";
        LOG.warn("Job {}: {}{}", spec.jobId(), reason, ended ? "; its remaining processes were ended" : "");
        return reason + (ended ? "; what was left of its processes was ended." : "; none of its processes is left.");
    }

    boolean supervisorAlive() {
        try {
            String[] parts = Files.readString(files.supervisor(), StandardCharsets.UTF_8).strip().split(" ");
            long pid = Long.parseLong(parts[0]);
            long started = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    // A reused pid has another start time.
                    .map(handle -> started == 0 || handle.info().startInstant()
                            .map(instant -> instant.toEpochMilli() == started).orElse(true))
                    .orElse(false)
                    && !isZombie(pid);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) == 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    private void failed(String what, Throwable error) {
        LOG.error("Job {}: {}", spec.jobId(), what, error);
        failure.tryEmitError(new IllegalStateException(what + ": " + error, error));
    }

    @Override
    public Mono<Void> failure() {
        return failure.asMono();
    }

    @Override
    public Mono<Void> answer(String line) {
        // Not tied to a prompt: an id of its own, so it is never taken for a repeat.
        return answer(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE, line);
    }

    @Override
    public Mono<Void> answer(long answerId, String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            return Mono.error(new IllegalArgumentException("an answer is a single line"));
        }
        return Mono.<Void>fromRunnable(() -> {
            if (Files.exists(files.exit())) {
                throw new IllegalStateException("job " + spec.jobId() + " has ended; its command reads no more answers");
            }
            String reply = client.request("ANSWER " + answerId + " " + line);
            if (!reply.startsWith("OK")) {
                throw new UncheckedIOException(new IOException("cannot write the answer to job " + spec.jobId()
                        + "'s command: " + reply));
            }
        }).subscribeOn(io);
    }

    @Override
    public void detach() {
        detached = true;
        SpoolTail reading = tail;
        if (reading != null) {
            reading.detach();
        }
        Demand wanted = demand;
        if (wanted != null) {
            wanted.cancel();
        }
    }

    /** The job's end is recorded: its spool and the supervisor's files are no longer needed. */
    @Override
    public void discard() {
        try {
            SupervisedLauncher.removeAll(files.directory());
        } catch (UncheckedIOException e) {
            LOG.warn("Job {}: could not remove {}", spec.jobId(), files.directory(), e);
        }
    }

    @Override
    public Mono<Void> cancel(Function<String, Mono<Void>> beforeEachSignal) {
        // Through the supervisor, which signals the group (or the command alone before setsid has run).
        Mono<Void> mine = Mono.defer(() -> new GroupEnding(spec, pgid, this::send, this::isGoneNow, timer, io)
                .end(true, beforeEachSignal)).cache();
        return cancellation.compareAndSet(null, mine) ? mine : cancellation.get();
    }

    @Override
    public Mono<Boolean> signal(String signal) {
        return Mono.fromCallable(() -> {
            if (isGoneNow()) {
                return false;
            }
            LOG.info("Job {}: SIG{} to process group {} on request", spec.jobId(), signal, pgid);
            return send(signal);
        }).subscribeOn(io);
    }

    private boolean send(String signal) {
        try {
            return client.request("SIGNAL " + signal).equals("OK true");
        } catch (UncheckedIOException unreachable) {
            // A signal that ends the command may end its supervisor before it answers: then the job is gone
            // because of it, and the signal counts as sent.
            if (isGoneNow()) {
                return true;
            }
            LOG.warn("Job {}: its supervisor does not answer; SIG{} not sent", spec.jobId(), signal);
            return false;
        }
    }

    private boolean isGoneNow() {
        return Files.exists(files.exit()) || !ProcessGroups.isAlive(pgid) && !supervisorAlive();
    }
}
