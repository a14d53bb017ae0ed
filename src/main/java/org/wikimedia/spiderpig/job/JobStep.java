package org.wikimedia.spiderpig.job;

import java.time.Instant;

/**
 * One step of a job: a status its command reported, from that status until the next one (or a cleared
 * status, or the job's end). Lines are the job's output line numbers; {@code lastLine} is below
 * {@code firstLine} for a step that printed nothing, and both end values are null while the step runs.
 */
public record JobStep(long seq, String status, Instant startedAt, long firstLine, Instant endedAt, Long lastLine,
                      int failedTasks) {
}
