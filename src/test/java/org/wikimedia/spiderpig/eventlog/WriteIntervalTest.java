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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.SpoolMark;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * With a write interval (logs in PostgreSQL, where each write is a transaction and a notice to every server), a
 * log's first line after a quiet spell is written at once, and the lines that come within the interval after a
 * write begins wait for it to pass, then go in one write.
 */
class WriteIntervalTest {

    private static final Duration INTERVAL = Duration.ofMillis(20);

    @TempDir
    Path directory;
    EventLogFixture fixture;
    VirtualTimeScheduler io;
    final ConcurrentLinkedQueue<Integer> writes = new ConcurrentLinkedQueue<>();
    StoredJobEventLog log;

    @BeforeEach
    void open() {
        fixture = new EventLogFixture(directory);
        io = VirtualTimeScheduler.create();
        LogFiles files = new LogFiles(directory, 1, new EventJson()) {
            @Override
            public LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] marks) throws IOException {
                writes.add(events.size());
                return super.write(events, tip, marks);
            }
        };
        log = new StoredJobEventLog(1, files, io, fixture.delivery, Clock.fixed(EventLogFixture.T0, ZoneOffset.UTC),
                EventLogSettings.defaults().withWriteInterval(INTERVAL));
    }

    @AfterEach
    void close() {
        io.dispose();
        fixture.close();
    }

    @Test
    void linesWithinTheIntervalAfterAWriteWaitForItAndGoInOneWrite() {
        Mono<JobEvent> first = log.append(line("first")).cache();
        first.subscribe();
        assertThat(writes).as("the first line, at once").containsExactly(1);
        List<Mono<JobEvent>> next = List.of(log.append(line("a")).cache(), log.append(line("b")).cache(),
                log.append(line("c")).cache());
        next.forEach(Mono::subscribe);

        io.advanceTimeBy(INTERVAL.minusMillis(1));
        assertThat(writes).as("nothing before the interval passed").containsExactly(1);

        io.advanceTimeBy(Duration.ofMillis(1));
        assertThat(writes).as("the three, in one write").containsExactly(1, 3);
        assertThat(next.get(2).block(Duration.ofSeconds(10)).seq()).isEqualTo(4);
    }

    @Test
    void aLineAfterAQuietSpellIsWrittenAtOnce() {
        log.append(line("first")).subscribe();
        io.advanceTimeBy(INTERVAL.multipliedBy(3));

        log.append(line("later")).subscribe();

        assertThat(writes).containsExactly(1, 1);
    }
}
