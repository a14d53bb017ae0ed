package org.wikimedia.spiderpig.runner;

import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.SpoolMark;

/**
 * Between a supervised job's stream pumps and its subscriber: gives each event the spool position
 * just after it ({@link RunnerEvent.Marked}), so that a restarted server reads on from exactly there.
 *
 * <p>The spool is fed to the pumps a line (a segment ending with a newline) at a time, so the position
 * after a line's events is the end of its segment. The last event of a segment is held back until the
 * segment is done and then carries that position; the events before it in the same segment (a line that
 * is cut at max-line-bytes, a protocol message of several events) go without one, so a crash right
 * between two of them would repeat the first rather than lose the second. A prompt found by the idle
 * timer carries the position after its partial line, with the flag that a newline following belongs to it.
 */
final class MarkingSink implements EventSink {

    private final EventSink downstream;
    private final Object lock = new Object();
    /** Per stream (0 stdout, 1 stderr): where its unfinished line starts, and the frame that holds it. */
    private final long[] lineStart = new long[2];
    private final long[] lineStartFrame = new long[2];
    private final boolean[] swallow = new boolean[2];
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

    /** The segment was fed: its held event goes out, marked with the position after the segment. */
    boolean endSegment() throws InterruptedException {
        synchronized (lock) {
            fedUpTo[segmentStream] = segmentEnd;
            fedUpToFrame[segmentStream] = segmentFrame;
            if (segmentEndsLine) {
                lineStart[segmentStream] = segmentEnd;
                lineStartFrame[segmentStream] = segmentFrame;
                swallow[segmentStream] = false;
            }
        }
        return flush(segmentEndsLine);
    }

    /** Sends the held event (marked when {@code marked}). */
    boolean flush(boolean marked) throws InterruptedException {
        RunnerEvent event = held;
        held = null;
        if (event == null) {
            return true;
        }
        return downstream.emit(marked ? new RunnerEvent.Marked(event, mark()) : event);
    }

    @Override
    public boolean emit(RunnerEvent event) throws InterruptedException {
        RunnerEvent previous = held;
        held = event;
        return previous == null || downstream.emit(previous);
    }

    @Override
    public boolean emitWithoutWaiting(RunnerEvent event) {
        if (event instanceof RunnerEvent.Output output) {
            promptStream = index(output.stream());
        } else if (event instanceof RunnerEvent.Prompt) {
            RunnerEvent.Marked marked;
            synchronized (lock) {
                int stream = promptStream;
                lineStart[stream] = fedUpTo[stream];
                lineStartFrame[stream] = fedUpToFrame[stream];
                swallow[stream] = true;
                marked = new RunnerEvent.Marked(event, mark());
            }
            return downstream.emitWithoutWaiting(marked);
        }
        return downstream.emitWithoutWaiting(event);
    }

    @Override
    public void fail(OutputLine.Stream stream, Throwable error) {
        downstream.fail(stream, error);
    }

    private SpoolMark mark() {
        synchronized (lock) {
            return new SpoolMark(Math.min(lineStartFrame[0], lineStartFrame[1]), lineStart[0], lineStart[1],
                    swallow[0], swallow[1]);
        }
    }
}
