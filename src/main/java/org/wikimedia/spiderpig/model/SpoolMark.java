package org.wikimedia.spiderpig.model;

/**
 * How far into a job's spool (the supervisor's record of everything its command wrote) the job's events
 * reach: reading on from here gives exactly the events that are not in its log yet. {@code frame} is the
 * offset of the spool frame to read on from; {@code stdout} and {@code stderr} are the spool offsets of each
 * stream's first byte not yet turned into events (bytes of a stream before its offset are skipped), and
 * {@code stdoutSwallow}/{@code stderrSwallow} say that a newline directly following belongs to a prompt
 * already reported. {@code stdoutSkip}/{@code stderrSkip} count the events that stream's bytes from its
 * offset on have already given: a line cut at max-line-bytes, a protocol message of several events or a
 * prompt's partial line reach the log one event at a time, and a crash between two of them must repeat none.
 */
public record SpoolMark(long frame, long stdout, long stderr, boolean stdoutSwallow, boolean stderrSwallow,
                        long stdoutSkip, long stderrSkip) {

    /** The start of a spool: nothing read yet. */
    public static final SpoolMark START = new SpoolMark(0, 0, 0, false, false, 0, 0);

    public SpoolMark {
        if (frame < 0 || stdout < 0 || stderr < 0 || stdoutSkip < 0 || stderrSkip < 0) {
            throw new IllegalArgumentException("spool offsets and event counts cannot be negative");
        }
    }

    /** At the start of each stream's line: no event of it given yet. */
    public SpoolMark(long frame, long stdout, long stderr, boolean stdoutSwallow, boolean stderrSwallow) {
        this(frame, stdout, stderr, stdoutSwallow, stderrSwallow, 0, 0);
    }
}
