package org.wikimedia.spiderpig.maintenance;

import java.time.Instant;

/**
 * One backup: a directory with the database copy and the logs of the jobs it holds.
 *
 * @param path the backup's directory (absolute)
 * @param jobs how many jobs the copy holds
 * @param databaseBytes the size of the database copy
 * @param logBytes the size of the copied logs
 */
public record BackupReport(String path, Instant startedAt, Instant finishedAt, int jobs, long databaseBytes,
                           long logBytes) {
}
