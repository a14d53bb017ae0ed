package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

/**
 * What breaks inside a log (its writer, a follower, a read of its files; an {@link Error} included)
 * fails what it must and nothing more, and never leaves anyone waiting; and what a log keeps in memory is
 * bounded in bytes, long lines included.
 */
class EventLogFailureTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path directory;
    EventLogFixture fixture;
    final AtomicBoolean failNextWrite = new AtomicBoolean();
    final AtomicBoolean failReads = new AtomicBoolean();

    @BeforeEach
    void open() {
        fixture = new EventLogFixture(directory);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    /** A log whose next write or whose reads throw an {@link OutOfMemoryError} on the I/O thread, on request. */
    private StoredJobEventLog faultyLog(long jobId, EventLogSettings settings) {
        LogFiles files = new LogFiles(directory, jobId, new EventJson()) {
            @Override
            public LogTip write(List<JobEvent> events, LogTip tip) throws IOException {
                // Half a batch reaches the files before the failure, as a real one might leave it.
                LogTip partial = super.write(events.subList(0, Math.max(1, events.size() / 2)), tip);
                if (failNextWrite.getAndSet(false)) {
                    throw new OutOfMemoryError("injected into the writer");
                }
                return events.size() == 1 ? partial : super.write(events, tip);
            }

            @Override
            public List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) throws IOException {
                if (failReads.get()) {
                    throw new OutOfMemoryError("injected into a read");
                }
                return super.read(from, to, tip, maxBytes);
            }
        };
        return new StoredJobEventLog(jobId, files, fixture.io, fixture.delivery, Clock.fixed(EventLogFixture.T0,
                ZoneOffset.UTC), settings);
    }

    @Test
    void anErrorInTheWriterFailsItsAppendsAndTheLogGoesOnWithoutAGap() {
        StoredJobEventLog log = faultyLog(1, EventLogSettings.defaults());
        log.append(line("kept")).block(DEADLINE);

        failNextWrite.set(true);
        StepVerifier.create(log.append(line("lost")))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("could not be written")
                        .hasRootCauseInstanceOf(OutOfMemoryError.class))
                .verify(DEADLINE);
        JobEvent next = log.append(line("after")).block(DEADLINE);
        EventLogFixture.end(log);

        assertThat(next.seq()).isEqualTo(2);
        assertThat(log.follow(0).map(JobEvent::payload).filter(OutputLine.class::isInstance)
                .map(payload -> ((OutputLine) payload).text()).collectList().block(DEADLINE))
                .containsExactly("kept", "after");
        // Reopened from its files (as after a restart), the log has no trace of the failed write either.
        StoredJobEventLog reopened = faultyLog(1, EventLogSettings.defaults());
        assertThat(EventLogFixture.seqs(reopened.follow(0))).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aFollowerWhoseSubscriberThrowsEndsAloneAndTheOthersOfItsWakeGroupGetEverything() {
        StoredJobEventLog log = faultyLog(2, EventLogSettings.defaults());
        log.follow(0).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(JobEvent event) {
                throw new OutOfMemoryError("injected into a follower");
            }
        });
        List<StepVerifier> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            others.add(StepVerifier.create(log.follow(0).map(JobEvent::seq)).expectNextCount(100).expectComplete()
                    .verifyLater());
        }

        EventLogFixture.appendAll(log, EventLogFixture.mixedPayloads(90));
        EventLogFixture.end(log);

        others.forEach(verifier -> verifier.verify(DEADLINE));
        assertThat(log.waiterCount()).isZero();
    }

    @Test
    void anErrorInAReadOfTheFilesEndsTheFollowerWithItInsteadOfLeavingItWaiting() {
        StoredJobEventLog log = faultyLog(3, new EventLogSettings(16, 8, 64));
        EventLogFixture.appendAll(log, EventLogFixture.mixedPayloads(100));
        EventLogFixture.end(log);

        failReads.set(true);
        StepVerifier.create(log.follow(0))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OutOfMemoryError.class))
                .verify(DEADLINE);
    }

    @Test
    void longLinesKeepTheRingWithinItsBytesAndAnEndedLogWithinItsSmallerBudget() {
        EventLogSettings settings = new EventLogSettings(4096, 1 << 20, 64 << 10, 256, 256 << 10, 64, 1 << 20);
        StoredJobEventLog log = faultyLog(4, settings);
        String piece = "x".repeat(64 * 1024);
        List<org.wikimedia.spiderpig.model.EventPayload> payloads = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            payloads.add(line(piece));
        }
        EventLogFixture.appendAll(log, payloads);

        assertThat(ringBytes(log, 100)).isLessThanOrEqualTo(settings.ringBytes()).isPositive();
        EventLogFixture.end(log);
        assertThat(ringBytes(log, 101)).isLessThanOrEqualTo(settings.endedRingBytes());
        // Every event is still there, from the files, in batches of at most 256 KiB of records (4 such lines).
        List<List<JobEvent>> batches = log.followBatches(0).collectList().block(DEADLINE);
        assertThat(batches.stream().mapToLong(List::size).sum()).isEqualTo(101);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(4));
        assertThat(log.lines(1, 101).count().block(DEADLINE)).isEqualTo(100);
    }

    private static long ringBytes(StoredJobEventLog log, long lastSeq) {
        long bytes = 0;
        for (long seq = 1; seq <= lastSeq; seq++) {
            List<JobEvent> one = log.fromRing(seq, seq);
            if (one != null) {
                bytes += EventSize.of(one.get(0));
            }
        }
        return bytes;
    }

}
