package org.wikimedia.spiderpig.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wikimedia.spiderpig.eventlog.EventLogFixture.line;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.test.StepVerifier;

/**
 * On the server that writes a log in a shared database, the database's notice of a batch usually arrives before the
 * write's answer. That notice must not publish the batch: its events are not in the ring yet, and every follower
 * woken then would read them from the database (each a round trip, on the connections the writes need).
 */
class WriterOwnNoticeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path directory;
    EventLogFixture fixture;

    @BeforeEach
    void open() {
        fixture = new EventLogFixture(directory);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void itsOwnNoticeBeforeTheWritesAnswerLeavesPublishingToTheWriterAndFollowersReadTheRing() {
        AtomicReference<StoredJobEventLog> logRef = new AtomicReference<>();
        ConcurrentLinkedQueue<String> publishedEarly = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        LogFiles files = new LogFiles(directory, 1, new EventJson()) {
            @Override
            public LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] marks) throws IOException {
                LogTip written = super.write(events, tip, marks);
                StoredJobEventLog log = logRef.get();
                // The notice, delivered before the write returns.
                log.advanceTo(written);
                if (log.publishedTip().seq() >= written.seq()) {
                    publishedEarly.add("seq " + written.seq() + " published by its own notice");
                }
                return written;
            }

            @Override
            public List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) throws IOException {
                reads.incrementAndGet();
                return super.read(from, to, tip, maxBytes);
            }
        };
        StoredJobEventLog log = new StoredJobEventLog(1, files, fixture.io, fixture.delivery,
                Clock.fixed(EventLogFixture.T0, ZoneOffset.UTC), EventLogSettings.defaults());
        logRef.set(log);
        long first = log.append(line("first")).block(DEADLINE).seq();

        StepVerifier.Step<Long> follower = StepVerifier.create(log.follow(first).map(JobEvent::seq));
        StepVerifier verifier = follower.expectNextSequence(EventLogFixture.range(first + 1, first + 101))
                .expectComplete()
                .verifyLater();
        for (int i = 0; i < 100; i++) {
            log.append(line("line " + i));
        }
        EventLogFixture.end(log);

        verifier.verify(DEADLINE);
        assertThat(publishedEarly).isEmpty();
        assertThat(reads).as("reads of the storage by followers at the live edge").hasValue(0);
    }
}
