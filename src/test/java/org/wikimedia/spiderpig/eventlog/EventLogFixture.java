package org.wikimedia.spiderpig.eventlog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.JobState;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.StatusChanged;
import org.wikimedia.spiderpig.model.json.EventJson;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Event logs (files in a temporary directory, or another storage) with their own schedulers, for tests and
 * benchmarks.
 */
final class EventLogFixture implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** Makes the logs of one storage (the same one each time it is called) with the fixture's schedulers. */
    interface Opener {
        JobEventLogs open(Scheduler io, Scheduler delivery, Clock clock, EventLogSettings settings);
    }

    final Scheduler io = Schedulers.newBoundedElastic(4, 100_000, "event-log-io-test");
    final Scheduler delivery = Schedulers.newParallel("event-log-delivery-test", 2);
    final EventLogSettings settings;
    private final Opener opener;
    JobEventLogs logs;

    EventLogFixture(Path directory) {
        this(directory, EventLogSettings.defaults());
    }

    EventLogFixture(Path directory, EventLogSettings settings) {
        this((io, delivery, clock, logSettings) -> new FileJobEventLogs(directory, new EventJson(), io, delivery, clock,
                logSettings), settings);
    }

    EventLogFixture(Opener opener, EventLogSettings settings) {
        this.opener = opener;
        this.settings = settings;
        this.logs = newLogs();
    }

    JobEventLogs newLogs() {
        return opener.open(io, delivery, Clock.fixed(T0, ZoneOffset.UTC), settings);
    }

    /** As after a server restart: the same storage, no cached log objects. */
    JobEventLogs reopen() {
        close(logs);
        logs = newLogs();
        return logs;
    }

    static OutputLine line(String text) {
        return OutputLine.unnumbered(OutputLine.Stream.STDOUT, text, false);
    }

    /** Output lines with a status event after every tenth line: seqs and line numbers differ. */
    static List<EventPayload> mixedPayloads(int lines) {
        List<EventPayload> payloads = new ArrayList<>();
        for (int i = 1; i <= lines; i++) {
            payloads.add(line("line " + i));
            if (i % 10 == 0) {
                payloads.add(new StatusChanged("status after " + i));
            }
        }
        return payloads;
    }

    /** Appends all without waiting for each (appends are queued at once, in order), then waits for the last. */
    static JobEvent appendAll(JobEventLog log, List<EventPayload> payloads) {
        reactor.core.publisher.Mono<JobEvent> last = null;
        for (EventPayload payload : payloads) {
            last = log.append(payload);
        }
        return last.block();
    }

    static JobEvent end(JobEventLog log) {
        return log.append(new JobEnded(JobState.SUCCEEDED, 0)).block();
    }

    static List<Long> seqs(Flux<JobEvent> events) {
        return events.map(JobEvent::seq).collectList().block();
    }

    static List<Long> range(long fromInclusive, long toInclusive) {
        List<Long> seqs = new ArrayList<>();
        for (long s = fromInclusive; s <= toInclusive; s++) {
            seqs.add(s);
        }
        return seqs;
    }

    private static void close(JobEventLogs logs) {
        if (logs instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        close(logs);
        io.dispose();
        delivery.dispose();
    }
}
