package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.wikimedia.spiderpig.eventlog.JobEventLog;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.MaskedEventJson;
import org.wikimedia.spiderpig.metrics.StreamMetrics;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Who may join a job's shared fan-out: a stream that follows the log by itself (it fell behind, say) and has
 * sent everything the fan-out handed so far, even though the log's end has moved on meanwhile. On a busy log
 * the end moves between a stream's read and its look at it, so a stream that waited for the very end stayed
 * off the shared path for the rest of the job, each writing and reading on its own (measured on PostgreSQL:
 * docs/benchmarks/postgresql.md).
 */
class LiveFanOutsTest {

    private static final Pattern ID = Pattern.compile("(?m)^id:(\\d+)$");

    private final SseMessages messages = new SseMessages(new MaskedEventJson(EventMasker.withDefaults(), new EventJson()),
            1000);
    // No pacing: each run is asked for as soon as the last was written.
    private final LiveFanOuts fanOuts = new LiveFanOuts(messages, new FanOutPace(Long.MAX_VALUE, Duration.ZERO),
            new StreamMetrics(new SimpleMeterRegistry()));
    private final ScriptedLog log = new ScriptedLog();

    @Test
    void aStreamLevelWithTheFanOutJoinsItThoughTheLogsEndHasMovedOn() {
        EmbeddedChannel live = liveThroughTenWithTwelveStored();

        EmbeddedChannel behind = new EmbeddedChannel();
        assertThat(fanOuts.joinIfLevel(log, stream(behind, 9), behind.eventLoop(), 9)).isNull();
        EmbeddedChannel level = new EmbeddedChannel();
        assertThat(fanOuts.joinIfLevel(log, stream(level, 10), level.eventLoop(), 10)).isNotNull();

        log.publish(11, 12);
        live.runPendingTasks();
        level.runPendingTasks();
        behind.runPendingTasks();
        assertThat(ids(level)).containsExactly(11L, 12L);
        assertThat(ids(live)).containsExactly(11L, 12L);
        assertThat(ids(behind)).isEmpty();
    }

    @Test
    void aStreamAheadOfTheFanOutJoinsAndGetsOnlyWhatItHasNotSent() {
        EmbeddedChannel live = liveThroughTenWithTwelveStored();

        EmbeddedChannel ahead = new EmbeddedChannel();
        assertThat(fanOuts.joinIfLevel(log, stream(ahead, 11), ahead.eventLoop(), 11)).isNotNull();
        log.publish(11, 13);
        live.runPendingTasks();
        ahead.runPendingTasks();
        assertThat(ids(ahead)).containsExactly(12L, 13L);
    }

    @Test
    void noFanOutNoJoin() {
        EmbeddedChannel channel = new EmbeddedChannel();
        assertThat(fanOuts.joinIfLevel(log, stream(channel, 5), channel.eventLoop(), 5)).isNull();
    }

    @Test
    void aStreamOfTheLatestLinesSendsAWindowsLinesAtOnceAndTheLastOfTheRestWhenTheWindowEnds() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        DirectEventStream latest = new DirectEventStream(channel, log, 0, messages, fanOuts, Duration.ofMinutes(1), true);
        fanOuts.join(log, latest, channel.eventLoop(), 0);

        log.publish(1, 200);
        channel.runPendingTasks();
        assertThat(ids(channel)).hasSize(200);
        log.publish(201, 1_000);
        channel.runPendingTasks();
        assertThat(ids(channel)).isEmpty();

        channel.advanceTimeBy(LatestLines.WINDOW_NANOS, TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        assertThat(ids(channel)).isEqualTo(LongStream.rangeClosed(751, 1_000).boxed().toList());
    }

    /**
     * A stream in the fan-out that has sent lines 1..10, with 11 and 12 stored and published but not yet taken
     * by the fan-out (its next run is due later).
     */
    private EmbeddedChannel liveThroughTenWithTwelveStored() {
        EmbeddedChannel live = new EmbeddedChannel();
        fanOuts.join(log, stream(live, 0), live.eventLoop(), 0);
        log.publish(1, 10);
        live.runPendingTasks();
        assertThat(ids(live)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        log.storedThrough(12);
        return live;
    }

    private DirectEventStream stream(EmbeddedChannel channel, long sent) {
        return new DirectEventStream(channel, log, sent, messages, fanOuts, Duration.ofMinutes(1), false);
    }

    /** The ids of the events written to {@code channel} since the last look. */
    private static List<Long> ids(EmbeddedChannel channel) {
        StringBuilder written = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            HttpContent content = (HttpContent) out;
            written.append(content.content().toString(StandardCharsets.UTF_8));
            content.release();
        }
        List<Long> ids = new ArrayList<>();
        Matcher id = ID.matcher(written);
        while (id.find()) {
            ids.add(Long.parseLong(id.group(1)));
        }
        return ids;
    }

    /** A log whose batches the test hands out, and whose end it sets. */
    private static final class ScriptedLog implements JobEventLog {

        private final Sinks.Many<List<JobEvent>> batches = Sinks.many().unicast().onBackpressureBuffer();
        private volatile long lastSeq;

        void storedThrough(long seq) {
            lastSeq = Math.max(lastSeq, seq);
        }

        void publish(long from, long to) {
            storedThrough(to);
            List<JobEvent> batch = new ArrayList<>();
            for (long seq = from; seq <= to; seq++) {
                batch.add(new JobEvent(jobId(), seq, Instant.EPOCH,
                        new OutputLine(seq, OutputLine.Stream.STDOUT, "line " + seq, false)));
            }
            batches.tryEmitNext(batch).orThrow();
        }

        @Override
        public long jobId() {
            return 7;
        }

        @Override
        public Mono<JobEvent> append(EventPayload payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long lastSeq() {
            return lastSeq;
        }

        @Override
        public long lineCount() {
            return lastSeq;
        }

        @Override
        public Flux<List<JobEvent>> followBatches(long afterSeq) {
            return batches.asFlux();
        }

        @Override
        public Mono<Long> seqBeforeLine(long line) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Flux<JobEvent> lines(long from, long to) {
            throw new UnsupportedOperationException();
        }
    }
}
