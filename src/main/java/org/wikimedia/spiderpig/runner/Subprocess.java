package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * A running job command, the leader of its own process group. Its stdout and stderr are read by two
 * threads of its own ({@code job-<id>-stdout}, {@code job-<id>-stderr}), started when {@link #events()}
 * is subscribed; they deliver the events, waiting for demand. When a reader or the end of the command
 * fails, {@link #failure()} says so, outside the events' own path (which such a failure may have broken).
 */
final class Subprocess implements JobProcess {

    private static final Logger LOG = LoggerFactory.getLogger(Subprocess.class);
    private static final Function<String, Mono<Void>> NO_NOTES = signal -> Mono.empty();

    private final LaunchSpec spec;
    private final Process process;
    private final long pgid;
    private final Scheduler timer;
    private final Scheduler io;
    private final PlainPrompts prompts;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final Object stdinLock = new Object();
    private final OutputStream stdin;
    private boolean stdinClosed;
    private final AtomicReference<Mono<Void>> cancellation = new AtomicReference<>();
    private final Sinks.Empty<Void> failure = Sinks.empty();
    private volatile Disposable lingerCheck;

    Subprocess(LaunchSpec spec, Process process, Scheduler timer, Scheduler io) {
        this.spec = spec;
        this.process = process;
        this.pgid = process.pid(); // started through setsid, which makes it the leader of a new group
        this.timer = timer;
        this.io = io;
        this.prompts = new PlainPrompts(spec.promptPatterns());
        this.stdin = process.getOutputStream();
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
            Demand demand = new Demand();
            sink.onRequest(demand::add);
            sink.onCancel(demand::cancel);
            startReading(sink, demand);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private void startReading(FluxSink<RunnerEvent> sink, Demand demand) {
        EventSink events = new DemandedEvents(sink, demand, (stream, error) -> failed("reading the command's "
                + stream.wireName() + " failed (thread job-" + spec.jobId() + "-" + stream.wireName() + ")", error));
        AtomicInteger open = new AtomicInteger(2);
        Runnable streamDone = () -> {
            if (open.decrementAndGet() == 0) {
                process.onExit().whenComplete((p, error) -> {
                    try {
                        wrapUp(events, sink);
                    } catch (Throwable e) {
                        failed("reporting the command's exit failed", e);
                    }
                });
            }
        };
        AtomicBoolean protocolSpoken = new AtomicBoolean();
        ProtocolParser protocol = new ProtocolParser(spec.ioKey());
        startThread("stdout", new StreamPump(OutputLine.Stream.STDOUT, process.getInputStream(), spec.maxLineBytes(),
                protocol, prompts, protocolSpoken, events, timer, spec.promptIdle(), streamDone));
        startThread("stderr", new StreamPump(OutputLine.Stream.STDERR, process.getErrorStream(), spec.maxLineBytes(),
                null, prompts, protocolSpoken, events, timer, spec.promptIdle(), streamDone));
        // Children that outlive the command and keep its pipes open would keep the job running forever.
        process.onExit().thenRun(() -> lingerCheck = Mono.delay(spec.interruptGrace(), timer)
                .filter(tick -> open.get() > 0)
                .flatMap(tick -> {
                    LOG.warn("Job {}: the command exited but processes of its group still hold its output; ending them",
                            spec.jobId());
                    return endGroup(false, NO_NOTES);
                })
                .subscribe());
    }

    private void failed(String what, Throwable error) {
        LOG.error("Job {}: {}", spec.jobId(), what, error);
        failure.tryEmitError(new IllegalStateException(what + ": " + error, error));
    }

    @Override
    public Mono<Void> failure() {
        return failure.asMono();
    }

    private void startThread(String stream, Runnable pump) {
        Thread thread = new Thread(pump, "job-" + spec.jobId() + "-" + stream);
        thread.setDaemon(true);
        thread.start();
    }

    /** Both streams ended and the command exited: end leftovers of its group, then report the exit. */
    private void wrapUp(EventSink events, FluxSink<RunnerEvent> sink) {
        closeStdin();
        Disposable linger = lingerCheck;
        if (linger != null) {
            linger.dispose();
        }
        endGroup(false, NO_NOTES)
                .onErrorResume(error -> {
                    LOG.warn("Job {}: could not end what is left of process group {}", spec.jobId(), pgid, error);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    try {
                        int exitCode = process.exitValue();
                        events.emitWithoutWaiting(new RunnerEvent.Exited(exitCode, signalOf(exitCode)));
                        sink.complete();
                    } catch (Throwable e) {
                        failed("reporting the command's exit failed", e);
                    }
                })
                .subscribe();
    }

    /**
     * Java reports a death by signal n as exit code 128 + n, like a shell; it cannot be told apart from
     * a command calling exit(128 + n), which by convention means the same.
     */
    static Integer signalOf(int exitCode) {
        return exitCode > 128 && exitCode <= 128 + 64 ? exitCode - 128 : null;
    }

    @Override
    public Mono<Void> answer(String line) {
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            return Mono.error(new IllegalArgumentException("an answer is a single line"));
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        return Mono.<Void>fromRunnable(() -> {
            synchronized (stdinLock) {
                if (stdinClosed) {
                    throw new IllegalStateException("job " + spec.jobId() + " has ended; its command reads no more answers");
                }
                try {
                    stdin.write(bytes);
                    stdin.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the answer to job " + spec.jobId() + "'s command", e);
                }
            }
        }).subscribeOn(io);
    }

    @Override
    public Mono<Void> cancel(Function<String, Mono<Void>> beforeEachSignal) {
        Mono<Void> mine = Mono.defer(() -> endGroup(true, beforeEachSignal)).cache();
        return cancellation.compareAndSet(null, mine) ? mine : cancellation.get();
    }

    @Override
    public Mono<Boolean> signal(String signal) {
        return Mono.fromCallable(() -> {
            if (isGoneNow()) {
                return false;
            }
            LOG.info("Job {}: SIG{} to process group {} on request", spec.jobId(), signal, pgid);
            return ProcessGroups.signal(pgid, signal) || process.isAlive() && ProcessGroups.signalProcess(pgid, signal);
        }).subscribeOn(io);
    }

    private void closeStdin() {
        synchronized (stdinLock) {
            stdinClosed = true;
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the command is gone; nothing is lost
            }
        }
    }

    /**
     * SIGINT (when {@code interruptFirst}), SIGTERM and SIGKILL to the whole group, while it is alive, each
     * after {@code beforeEachSignal} noted it.
     */
    private Mono<Void> endGroup(boolean interruptFirst, Function<String, Mono<Void>> beforeEachSignal) {
        return new GroupEnding(spec, pgid, signal -> {
            // Until setsid has run the group does not exist yet: then the command alone.
            if (!ProcessGroups.signal(pgid, signal) && process.isAlive()) {
                ProcessGroups.signalProcess(pgid, signal);
            }
        }, this::isGoneNow, timer, io).end(interruptFirst, beforeEachSignal);
    }

    private boolean isGoneNow() {
        return !process.isAlive() && !ProcessGroups.isAlive(pgid);
    }
}
