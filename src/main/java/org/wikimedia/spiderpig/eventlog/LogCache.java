package org.wikimedia.spiderpig.eventlog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The log objects of a {@link JobEventLogs}, least recently used first: beyond {@code capacity}, ended and
 * idle logs are dropped (running ones never are, whatever their number), to be reopened from their storage
 * when asked for again.
 */
final class LogCache {

    private final int capacity;
    private final LongFunction<StoredJobEventLog> opener;
    private final Map<Long, StoredJobEventLog> logs = new LinkedHashMap<>(16, 0.75f, true);

    LogCache(int capacity, LongFunction<StoredJobEventLog> opener) {
        this.capacity = capacity;
        this.opener = opener;
    }

    /** The job's cached log, or a new one (no I/O). */
    synchronized StoredJobEventLog forJob(long jobId) {
        StoredJobEventLog log = logs.computeIfAbsent(jobId, opener::apply);
        dropEndedBeyondCapacity();
        return log;
    }

    /** {@link #forJob}, opened anew in place of a cached one that broke (see {@link StoredJobEventLog#broken()}). */
    synchronized StoredJobEventLog unbrokenForJob(long jobId) {
        StoredJobEventLog cached = logs.get(jobId);
        if (cached != null && cached.broken() != null) {
            logs.remove(jobId);
        }
        return forJob(jobId);
    }

    /** The job's log if it is cached, else null. */
    synchronized StoredJobEventLog cached(long jobId) {
        return logs.get(jobId);
    }

    synchronized List<StoredJobEventLog> all() {
        return new ArrayList<>(logs.values());
    }

    /** Removes the job's log from the cache; the removed one, or null. */
    synchronized StoredJobEventLog remove(long jobId) {
        return logs.remove(jobId);
    }

    private void dropEndedBeyondCapacity() {
        Iterator<StoredJobEventLog> eldestFirst = logs.values().iterator();
        int excess = logs.size() - capacity;
        while (excess > 0 && eldestFirst.hasNext()) {
            StoredJobEventLog log = eldestFirst.next();
            if (log.ended() && log.idle()) {
                eldestFirst.remove();
                excess--;
            }
        }
    }
}
