package org.wikimedia.spiderpig.eventlog;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * Where one job's events are kept (files, or rows of a database), beneath the ring of recent events and the
 * followers that {@link StoredJobEventLog} keeps in memory. Every method blocks: the log calls them on its I/O
 * scheduler only, and one write (or cut) at a time.
 */
public interface LogStorage {

    /** The end of what is stored, repairing a torn tail first where the storage can have one. */
    LogTip recover() throws IOException;

    /**
     * A write found some of its seqs (or line numbers) taken: another server appended to the same log since this
     * one last knew its end (an answer is logged by the server that took it, the job's output by the one running
     * it). Nothing of the write was stored.
     */
    final class Overtaken extends IOException {

        public Overtaken(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Persists events that directly follow {@code tip} and returns the new tip; throws {@link Overtaken} when
     * events of another writer follow {@code tip} already.
     */
    default LogTip write(List<JobEvent> events, LogTip tip) throws IOException {
        return write(events, tip, null);
    }

    /**
     * {@link #write(List, LogTip)}, with the spool marks of those events that carry one ({@code spoolMarks[i]} for
     * {@code events.get(i)}, or null); {@code spoolMarks} itself may be null when none does.
     */
    LogTip write(List<JobEvent> events, LogTip tip, SpoolMark[] spoolMarks) throws IOException;

    /**
     * Events {@code from..to} (inclusive, {@code to <= tip.seq()}); it may stop early, after the first event,
     * before they pass {@code maxBytes}, and the caller continues after the last one it got.
     */
    List<JobEvent> read(long from, long to, LogTip tip, long maxBytes) throws IOException;

    /** The seqs of output lines {@code from..to} (inclusive, within the line count), in line order. */
    long[] lineSeqs(long from, long to) throws IOException;

    /**
     * The events from output line {@code from}'s to line {@code to}'s (inclusive, within the line count), as far as
     * {@link #read} goes within {@code maxBytes}; a database does it in one query rather than two.
     */
    default List<JobEvent> readLines(long from, long to, LogTip tip, long maxBytes) throws IOException {
        long[] seqs = lineSeqs(from, to);
        return read(seqs[0], seqs[seqs.length - 1], tip, maxBytes);
    }

    /** Forgets whatever a failed write may have left after {@code tip}, so the next write continues there. */
    void cutTo(LogTip tip) throws IOException;

    /** The spool mark of the last marked event up to {@code lastSeq}, if any. */
    Optional<SpoolMark> lastMark(long lastSeq) throws IOException;

    /** Removes everything stored of the job. */
    void delete() throws IOException;
}
