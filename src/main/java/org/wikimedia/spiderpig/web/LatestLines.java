package org.wikimedia.spiderpig.web;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.wikimedia.spiderpig.model.EventType;
import org.wikimedia.spiderpig.model.JobEvent;

/**
 * What a stream asked for with {@code ?lines=latest} sends: a viewer that shows the end of the log (the job
 * page) needs the latest lines, not 50,000 a second it cannot show, whose bytes would take the cores its
 * browser draws with. Up to {@link #KEPT} lines in each {@link #WINDOW_NANOS} go out as they come; beyond
 * that, events are held until the window ends and then sent with each run of more than {@link #KEPT}
 * consecutive lines cut to its last {@link #KEPT}. Every other event is sent, in order, and so are the lines
 * right before it; the last line is always sent, so the line count a viewer sees stays exact. A viewer tells
 * what was left out by the line numbers (and seqs) that jump, and reads it from the log's ranges.
 *
 * <p>One per stream, touched on its event loop only, and timed by the loop's clock, which schedules the release.
 */
final class LatestLines {

    static final int KEPT = 250;
    static final long WINDOW_NANOS = 50_000_000;
    /** Held events are cut once there are this many, so that a long window or a catch-up holds few. */
    private static final int CUT_WHEN_HOLDING = 4 * KEPT;

    private final LongSupplier nanoTime;
    private List<JobEvent> held = new ArrayList<>();
    private int cutAt = CUT_WHEN_HOLDING;
    private long windowStart;
    private int linesInWindow;

    LatestLines(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong() - WINDOW_NANOS;
    }

    /**
     * Takes the events after {@code sent} of a run: the ones to send at once (nothing when they are held),
     * in order and after anything held before.
     */
    List<JobEvent> take(List<JobEvent> run, long sent) {
        long now = nanoTime.getAsLong();
        if (held.isEmpty() && now - windowStart >= WINDOW_NANOS) {
            windowStart = now;
            linesInWindow = 0;
        }
        List<JobEvent> fresh = run.get(0).seq() > sent ? run : after(run, sent);
        int lines = lines(fresh);
        if (held.isEmpty() && linesInWindow + lines <= KEPT) {
            linesInWindow += lines;
            return fresh;
        }
        held.addAll(fresh);
        if (held.size() >= cutAt) {
            held = cut(held, KEPT);
            // Many other events cut nothing: cut again only once the held events have doubled.
            cutAt = Math.max(CUT_WHEN_HOLDING, 2 * held.size());
        }
        return List.of();
    }

    /** Whether events wait for the end of the window ({@link #nanosUntilRelease()}). */
    boolean holds() {
        return !held.isEmpty();
    }

    /** How long until the window ends and the held events are due. */
    long nanosUntilRelease() {
        return Math.max(0, windowStart + WINDOW_NANOS - nanoTime.getAsLong());
    }

    /** The held events, cut, to send now: a new window starts with the lines they hold. */
    List<JobEvent> release() {
        List<JobEvent> due = cut(held, KEPT);
        held = new ArrayList<>();
        cutAt = CUT_WHEN_HOLDING;
        windowStart = nanoTime.getAsLong();
        linesInWindow = lines(due);
        return due;
    }

    /** Each run of more than {@code keep} consecutive line events cut to its last {@code keep}. */
    static List<JobEvent> cut(List<JobEvent> events, int keep) {
        List<JobEvent> kept = new ArrayList<>(Math.min(events.size(), 2 * keep));
        int runStart = 0;
        for (int i = 0; i <= events.size(); i++) {
            if (i == events.size() || events.get(i).type() != EventType.LINE) {
                kept.addAll(events.subList(Math.max(runStart, i - keep), i));
                if (i < events.size()) {
                    kept.add(events.get(i));
                }
                runStart = i + 1;
            }
        }
        return kept;
    }

    private static List<JobEvent> after(List<JobEvent> run, long sent) {
        return run.stream().filter(event -> event.seq() > sent).toList();
    }

    private static int lines(List<JobEvent> events) {
        int lines = 0;
        for (JobEvent event : events) {
            if (event.type() == EventType.LINE) {
                lines++;
            }
        }
        return lines;
    }
}
