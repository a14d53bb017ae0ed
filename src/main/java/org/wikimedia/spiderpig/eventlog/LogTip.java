package org.wikimedia.spiderpig.eventlog;

import java.time.Instant;

/**
 * What of a log is persisted, published at once so that a reader sees a consistent end: the last
 * seq, the number of output lines, the byte length of the data file, the time of the last event and
 * whether the log has ended.
 */
public record LogTip(long seq, long lineCount, long dataEnd, Instant lastTs, boolean ended) {

    public static final LogTip EMPTY = new LogTip(0, 0, 0, Instant.EPOCH, false);
}
