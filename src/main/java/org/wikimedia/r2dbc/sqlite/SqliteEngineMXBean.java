package org.wikimedia.r2dbc.sqlite;

/**
 * What one database's threads are doing, for monitoring: published under
 * {@code org.wikimedia.r2dbc.sqlite:type=Engine,name=<jmxName>} when the {@code jmxName} option is set. Counts and
 * nanosecond totals only grow, so a monitor derives rates and mean waits from two readings.
 */
public interface SqliteEngineMXBean {

    /** Read-only connections. */
    int getReaders();

    /** Readers leased to a query now. */
    int getReadersInUse();

    /** Queries waiting for a free reader now. */
    int getQueriesWaitingForReader();

    /** Connections waiting for the writer (held by another one's statement or transaction) now. */
    int getWaitingForWriter();

    /** Tasks submitted to the connections' threads and not yet started, over all threads. */
    int getQueuedTasks();

    /** Tasks the connections' threads have started. */
    long getTasks();

    /** Time tasks spent queued for their connection's thread, in all. */
    long getTaskQueueNanos();

    /** Times a query waited for a free reader. */
    long getReaderWaits();

    /** Time queries waited for a free reader, in all. */
    long getReaderWaitNanos();

    /** Times a connection waited for the writer. */
    long getWriterWaits();

    /** Time connections waited for the writer, in all. */
    long getWriterWaitNanos();
}
