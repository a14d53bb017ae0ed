package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Reads one output stream of a job (on a thread of its own) and turns it into events: lines, protocol
 * messages (stdout only), and plain prompts found in a partial line that stayed unchanged for the idle
 * time. A detected prompt's partial line is emitted as an output line at that moment, just before the
 * prompt; it is removed from the line being built, so nothing is lost or doubled, and a newline that
 * directly follows it is taken as its end.
 *
 * <p>Anything else that goes wrong while reading or handing events on (an {@link Error} too, such as an
 * {@link OutOfMemoryError} thrown by whoever consumes the events on this thread) is reported to the sink's
 * {@link EventSink#fail}, so the job is ended instead of waiting for a reader that has died.
 */
final class StreamPump implements Runnable {

    private final OutputLine.Stream stream;
    private final InputStream input;
    private final LineSplitter splitter;
    private final ProtocolParser protocol;
    private final PlainPrompts prompts;
    private final AtomicBoolean protocolSpoken;
    private final EventSink sink;
    private final Scheduler timer;
    private final Duration promptIdle;
    private final Runnable whenDone;

    private final Object lock = new Object();
    private long version;
    private Disposable idleCheck;
    private volatile boolean listening = true;

    /**
     * @param protocol       the parser for protocol messages, or null for a stream that carries none (stderr)
     * @param protocolSpoken shared by a job's streams: once the command has sent a protocol message, its
     *                       prompts come as messages and plain prompt detection stops
     */
    StreamPump(OutputLine.Stream stream, InputStream input, int maxLineBytes, ProtocolParser protocol, PlainPrompts prompts,
               AtomicBoolean protocolSpoken, EventSink sink, Scheduler timer, Duration promptIdle, Runnable whenDone) {
        this.stream = stream;
        this.input = input;
        this.splitter = new LineSplitter(maxLineBytes);
        this.protocol = protocol;
        this.prompts = prompts;
        this.protocolSpoken = protocolSpoken;
        this.sink = sink;
        this.timer = timer;
        this.promptIdle = promptIdle;
        this.whenDone = whenDone;
    }

    @Override
    public void run() {
        try (InputStream in = input) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                process(buffer, n);
            }
            finish();
        } catch (IOException closed) {
            // The stream was closed under us (the job is being torn down): what was read is kept.
            finishQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            reportFailure(e);
        } finally {
            whenDone.run();
        }
    }

    /** Emits the last partial line after the stream was closed under us. */
    private void finishQuietly() {
        try {
            finish();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            reportFailure(e);
        }
    }

    private void reportFailure(Throwable error) {
        listening = false;
        synchronized (lock) {
            cancelIdleCheck();
        }
        sink.fail(stream, error);
    }

    /** Handles one chunk read from the stream. */
    void process(byte[] buffer, int length) throws InterruptedException {
        process(buffer, 0, length);
    }

    /** Handles {@code length} bytes of the stream from {@code buffer[offset]}. */
    void process(byte[] buffer, int offset, int length) throws InterruptedException {
        List<String> lines;
        long current;
        synchronized (lock) {
            current = ++version;
            cancelIdleCheck();
            lines = splitter.feed(buffer, offset, length);
        }
        emitLines(lines);
        synchronized (lock) {
            // Scheduled only after this chunk's lines are out, so a prompt never overtakes them.
            if (current == version && splitter.hasPartial() && !protocolSpoken.get()) {
                idleCheck = timer.schedule(() -> checkIdle(current), promptIdle.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** At the end of the stream: the last line without newline is kept. */
    void finish() throws InterruptedException {
        List<String> last;
        synchronized (lock) {
            version++;
            cancelIdleCheck();
            last = splitter.finish();
        }
        emitLines(last);
    }

    /** Reading on after a prompt that took the partial line: a newline that directly follows belongs to it. */
    void resumeAfterPrompt() {
        synchronized (lock) {
            splitter.expectPromptNewline();
        }
    }

    private void checkIdle(long expectedVersion) {
        try {
            checkIdleNow(expectedVersion);
        } catch (Throwable e) {
            reportFailure(e);
        }
    }

    private void checkIdleNow(long expectedVersion) {
        synchronized (lock) {
            if (expectedVersion != version || !splitter.hasPartial() || protocolSpoken.get()) {
                return;
            }
            Optional<RunnerEvent.Prompt> prompt = prompts.detect(splitter.partial());
            if (prompt.isEmpty()) {
                return;
            }
            String partial = splitter.takePartial();
            if (listening) {
                listening = sink.emitWithoutWaiting(new RunnerEvent.Output(stream, partial, false))
                        && sink.emitWithoutWaiting(prompt.get());
            }
        }
    }

    private void emitLines(List<String> lines) throws InterruptedException {
        for (String line : lines) {
            for (RunnerEvent event : eventsOf(line)) {
                if (listening) {
                    // Once the subscriber has gone, the stream is still drained so the command never blocks.
                    listening = sink.emit(event);
                }
            }
        }
    }

    private List<RunnerEvent> eventsOf(String line) {
        if (protocol != null) {
            Optional<List<RunnerEvent>> message = protocol.parse(line);
            if (message.isPresent()) {
                protocolSpoken.set(true);
                return message.get();
            }
        }
        return List.of(new RunnerEvent.Output(stream, line, false));
    }

    private void cancelIdleCheck() {
        if (idleCheck != null) {
            idleCheck.dispose();
            idleCheck = null;
        }
    }

}
