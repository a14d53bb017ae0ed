package org.wikimedia.spiderpig.runner;

import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * Between a supervised job's stream pumps and its subscriber: gives each event the spool position just
 * after it ({@link RunnerEvent.Marked}), so that a restarted server reads on from exactly there.
 *
 * <p>The spool is fed to the pumps a line (a segment ending with a newline) at a time. An event that
 * completes a line is marked with the position after it. Any other event (a piece of a line cut at
 * max-line-bytes, one of the several events of a protocol message, a prompt's partial line) is marked with
 * the start of its line and the number of events its stream has given since: reading on from there
 * gives those events again, and that many are dropped ({@link SpoolMark#stdoutSkip()}). So a crash between
 * any two events repeats none. To tell whether an event completes a line, the last one of a segment is
 * held back until the segment is done. A prompt found by the idle timer carries the position after its
 * partial line, with the flag that a newline following belongs to it.
 */
final class MarkingSink implements EventSink {

    private final EventSink downstream;
    private final Object lock = new Object();
    /** Per stream (0 stdout, 1 stderr): where its unfinished line starts, and the frame that holds it. */
    private final long[] lineStart = new long[2];
    private final long[] lineStartFrame = new long[2];
    private final boolean[] swallow = new boolean[2];
    /** Per stream: events given since its line start; and those of them a previous server logged already. */
    private final long[] given = new long[2];
    private final long[] toDrop = new long[2];
    /** Per stream: the end of what was fed to its pump. */
    private final long[] fedUpTo = new long[2];
    private final long[] fedUpToFrame = new long[2];
    /** Reader thread only: the segment being fed, and its last event so far. */
    private int segmentStream;
    private long segmentFrame;
    private long segmentEnd;
    private boolean segmentEndsLine;
    private RunnerEvent held;
    private volatile int promptStream;

    MarkingSink(EventSink downstream, SpoolMark from) {
        this.downstream = downstream;
        lineStart[0] = from.stdout();
        lineStart[1] = from.stderr();
        lineStartFrame[0] = from.frame();
        lineStartFrame[1] = from.frame();
        swallow[0] = from.stdoutSwallow();
        swallow[1] = from.stderrSwallow();
        toDrop[0] = from.stdoutSkip();
        toDrop[1] = from.stderrSkip();
        System.arraycopy(lineStart, 0, fedUpTo, 0, 2);
        System.arraycopy(lineStartFrame, 0, fedUpToFrame, 0, 2);
    }

    static int index(OutputLine.Stream stream) {
        return stream == OutputLine.Stream.STDOUT ? 0 : 1;
    }

    /** The reader is about to feed {@code stream} the bytes up to spool offset {@code end} of the frame at {@code frame}. */
    void beginSegment(int stream, long frame, long end, boolean endsLine) {
        segmentStream = stream;
        segmentFrame = frame;
        segmentEnd = end;
        segmentEndsLine = endsLine;
    }

    /** The reader is about to finish {@code stream} (its last line has no newline): nothing more is fed to it. */
    void beginEnd(int stream) {
        synchronized (lock) {
            beginSegment(stream, fedUpToFrame[stream], fedUpTo[stream], false);
        }
    }

    /** The segment was fed: its held event goes out, marked with the position after it. */
    boolean endSegment() throws InterruptedException {
        int stream = segmentStream;
        RunnerEvent last = held;
        held = null;
        SpoolMark mark;
        synchronized (lock) {
            fedUpTo[stream] = segmentEnd;
            fedUpToFrame[stream] = segmentFrame;
            if (segmentEndsLine) {
                lineStart[stream] = segmentEnd;
                lineStartFrame[stream] = segmentFrame;
                swallow[stream] = false;
                given[stream] = 0;
                // Only ever left over when the spool reads differently than before the restart.
                toDrop[stream] = 0;
            } else if (last != null) {
                given[stream]++;
            }
            mark = mark();
        }
        return last == null || downstream.emit(new RunnerEvent.Marked(last, mark));
    }

    @Override
    public boolean emit(RunnerEvent event) throws InterruptedException {
        int stream = segmentStream;
        if (dropped(stream)) {
            return true;
        }
        RunnerEvent previous = held;
        held = event;
        if (previous == null) {
            return true;
        }
        SpoolMark mark;
        synchronized (lock) {
            given[stream]++;
            mark = mark();
        }
        return downstream.emit(new RunnerEvent.Marked(previous, mark));
    }

    @Override
    public boolean emitWithoutWaiting(RunnerEvent event) {
        RunnerEvent.Marked marked;
        if (event instanceof RunnerEvent.Output output) {
            int stream = index(output.stream());
            promptStream = stream;
            if (dropped(stream)) {
                return true;
            }
            synchronized (lock) {
                given[stream]++;
                marked = new RunnerEvent.Marked(event, mark());
            }
        } else if (event instanceof RunnerEvent.Prompt) {
            synchronized (lock) {
                int stream = promptStream;
                lineStart[stream] = fedUpTo[stream];
                lineStartFrame[stream] = fedUpToFrame[stream];
                swallow[stream] = true;
                given[stream] = 0;
                toDrop[stream] = 0;
                marked = new RunnerEvent.Marked(event, mark());
            }
        } else {
            return downstream.emitWithoutWaiting(event);
        }
        return downstream.emitWithoutWaiting(marked);
    }

    @Override
    public void fail(OutputLine.Stream stream, Throwable error) {
        downstream.fail(stream, error);
    }

    /** An event of {@code stream} that the log has from before the restart: counted, not sent again. */
    private boolean dropped(int stream) {
        synchronized (lock) {
            if (toDrop[stream] == 0) {
                return false;
            }
            toDrop[stream]--;
            given[stream]++;
            return true;
        }
    }

    private SpoolMark mark() {
        return new SpoolMark(Math.min(lineStartFrame[0], lineStartFrame[1]), lineStart[0], lineStart[1],
                swallow[0], swallow[1], given[0], given[1]);
    }
}
