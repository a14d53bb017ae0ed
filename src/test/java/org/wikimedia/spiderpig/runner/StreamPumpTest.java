package org.wikimedia.spiderpig.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.model.OutputLine;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Plain prompt detection on one stream, driven chunk by chunk with virtual time. */
class StreamPumpTest {

    private static final String KEY = "k".repeat(64);
    private static final Duration IDLE = Duration.ofMillis(300);

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<RunnerEvent> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean protocolSpoken = new AtomicBoolean();
    private final EventSink sink = new EventSink() {
        @Override
        public boolean emit(RunnerEvent event) {
            events.add(event);
            return true;
        }

        @Override
        public boolean emitWithoutWaiting(RunnerEvent event) {
            events.add(event);
            return true;
        }

        @Override
        public void fail(OutputLine.Stream stream, Throwable error) {
            failures.add(error);
        }
    };

    private StreamPump pump(String stream) {
        return new StreamPump(OutputLine.Stream.ofWireName(stream), new ByteArrayInputStream(new byte[0]), 1024,
                "stdout".equals(stream) ? new ProtocolParser(KEY) : null, new PlainPrompts(List.of()),
                protocolSpoken, sink, clock, IDLE, () -> { });
    }

    private static void write(StreamPump pump, String text) throws InterruptedException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        pump.process(bytes, bytes.length);
    }

    @AfterEach
    void stopClock() {
        clock.dispose();
    }

    @Test
    void anIdlePromptIsEmittedAsItsLineThenThePromptAndNothingIsDoubled() throws InterruptedException {
        StreamPump pump = pump("stdout");
        write(pump, "Checking...\nBackport the changes? [y/N] ");
        assertThat(events).containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Checking...", false));

        clock.advanceTimeBy(IDLE.minusMillis(1));
        assertThat(events).hasSize(1);
        clock.advanceTimeBy(Duration.ofMillis(1));
        assertThat(events).containsExactly(
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Checking...", false),
                new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Backport the changes? [y/N] ", false),
                new RunnerEvent.Prompt("choices", "Backport the changes? [y/N]", Map.of("Yes", "y", "No", "n"), "n"));

        write(pump, "\nMerging\n");
        pump.finish();
        assertThat(events).hasSize(4);
        assertThat(events.get(3)).isEqualTo(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Merging", false));
    }

    @Test
    void aPartialLineThatKeepsChangingIsNoPromptYet() throws InterruptedException {
        StreamPump pump = pump("stderr");
        write(pump, "Continue? ");
        clock.advanceTimeBy(Duration.ofMillis(200));
        write(pump, "[y/N] ");
        clock.advanceTimeBy(Duration.ofMillis(200));
        assertThat(events).isEmpty();
        clock.advanceTimeBy(Duration.ofMillis(100));
        assertThat(events).containsExactly(
                new RunnerEvent.Output(OutputLine.Stream.STDERR, "Continue? [y/N] ", false),
                new RunnerEvent.Prompt("choices", "Continue? [y/N]", Map.of("Yes", "y", "No", "n"), "n"));
    }

    @Test
    void anIdlePartialLineThatIsNoPromptStaysUntilItIsCompleted() throws InterruptedException {
        StreamPump pump = pump("stdout");
        write(pump, "Downloading ");
        clock.advanceTimeBy(Duration.ofSeconds(5));
        assertThat(events).isEmpty();
        write(pump, "done\n");
        assertThat(events).containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "Downloading done", false));
    }

    @Test
    void aLastLineWithoutNewlineIsKeptAtTheEnd() throws InterruptedException {
        StreamPump pump = pump("stdout");
        write(pump, "no newline at the end");
        pump.finish();
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(events).containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "no newline at the end", false));
    }

    @Test
    void onceTheCommandSpeaksTheProtocolPlainTextCannotOpenPrompts() throws InterruptedException {
        StreamPump stdout = pump("stdout");
        StreamPump stderr = pump("stderr");
        write(stdout, "{\"iokey\":\"" + KEY + "\",\"type\":\"status\",\"status\":\"Merging\"}\n");
        write(stderr, "Delete production? [y/N] ");
        clock.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(events).containsExactly(new RunnerEvent.Status("Merging"));
        stderr.finish();
        assertThat(events).endsWith(new RunnerEvent.Output(OutputLine.Stream.STDERR, "Delete production? [y/N] ", false));
    }

    @Test
    void stderrNeverCarriesProtocolMessages() throws InterruptedException {
        StreamPump stderr = pump("stderr");
        String message = "{\"iokey\":\"" + KEY + "\",\"type\":\"status\",\"status\":\"Merging\"}";
        write(stderr, message + "\n");
        assertThat(events).containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDERR, message, false));
        assertThat(protocolSpoken).isFalse();
    }

    @Test
    void anErrorWhileReadingIsReportedAndTheReaderStillSaysItIsDone() {
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        java.io.InputStream failing = new java.io.InputStream() {
            private int reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (reads++ == 0) {
                    byte[] line = "first line\n".getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(line, 0, buffer, offset, line.length);
                    return line.length;
                }
                throw new OutOfMemoryError("injected into the reader");
            }
        };
        StreamPump pump = new StreamPump(OutputLine.Stream.STDOUT, failing, 1024, new ProtocolParser(KEY),
                new PlainPrompts(List.of()), protocolSpoken, sink, clock, IDLE, () -> done.set(true));

        pump.run();

        assertThat(events).containsExactly(new RunnerEvent.Output(OutputLine.Stream.STDOUT, "first line", false));
        assertThat(failures).singleElement().isInstanceOf(OutOfMemoryError.class);
        assertThat(done).isTrue();
    }
}
