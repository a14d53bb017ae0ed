package org.wikimedia.spiderpig.maintenance;

/**
 * Totals since the server started, for the admin API and the metrics.
 *
 * @param runs cleanups that deleted (scheduled or asked for)
 * @param dryRuns cleanups that only listed
 * @param failedRuns cleanups that stopped with an error
 * @param jobsRemoved jobs deleted, with their prompts and logs
 * @param logBytesRemoved the size of the deleted logs
 */
public record RetentionCounters(long runs, long dryRuns, long failedRuns, long jobsRemoved, long logBytesRemoved) {
}
