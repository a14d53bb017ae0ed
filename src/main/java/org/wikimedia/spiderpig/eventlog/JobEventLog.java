package org.wikimedia.spiderpig.eventlog;

import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.model.EventPayload;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ordered, persisted event log of one job. Safe to append from several threads: each append gets
 * the next sequence number (and, for output, the next line number) in the order the appends happen.
 */
public interface JobEventLog {

    long jobId();

    /**
     * Persists the event and hands it to live followers. The returned event carries its seq, its time
     * and, for an {@code OutputLine}, its line number. Appending after {@code JobEnded} is an error.
     * The event is queued when this is called, whether or not the result is subscribed, so order is the
     * order of the calls and a caller need not wait for one append before the next. The result completes
     * once the event is written and visible to followers, on the log's I/O thread (or at once in the
     * subscriber's thread if that already happened): do not block in what follows it.
     */
    Mono<JobEvent> append(EventPayload payload);

    /**
     * {@link #append(EventPayload)} of an event that came from the job's spool, with the spool position just
     * after it, persisted so that {@link #lastMark()} tells where to read the spool on after a restart.
     */
    default Mono<JobEvent> append(EventPayload payload, SpoolMark mark) {
        return append(payload);
    }

    /**
     * The spool mark of the last marked event in the log (empty when none): reading the job's spool on from
     * there gives exactly the events the log does not have yet. Call it before appending more.
     */
    default Mono<Optional<SpoolMark>> lastMark() {
        return Mono.just(Optional.empty());
    }

    /**
     * The seq of the last written event (0 when empty). Free once the log's files were read (any reactive
     * method, or {@link JobEventLogs#open}); before that it reads them in the caller's thread.
     */
    long lastSeq();

    /** The number of written output lines (0 when none); free like {@link #lastSeq()}. */
    long lineCount();

    /**
     * Every event after {@code afterSeq}: what is persisted, then live events as they are appended,
     * with no gap and no duplicate, completing after the {@code JobEnded} event. A slow subscriber
     * reads from the persisted log and never makes the server buffer without bound.
     */
    default Flux<JobEvent> follow(long afterSeq) {
        // One batch at a time, so a slow subscriber still holds at most one.
        return followBatches(afterSeq).concatMapIterable(batch -> batch, 1);
    }

    /**
     * {@link #follow} in runs of consecutive events: whatever was ready together (up to a few hundred),
     * so that a stream can send them in one write. Each list is one unit of demand.
     */
    Flux<List<JobEvent>> followBatches(long afterSeq);

    /** The seq just before output line {@code line} (so that following from it starts at that line). */
    Mono<Long> seqBeforeLine(long line);

    /** Output lines [from, to), 1-based, clamped to what exists, read by seeking, not scanning. */
    Flux<JobEvent> lines(long from, long to);
}
