package org.wikimedia.spiderpig.maintenance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * What one retention run removed, or, for a dry run, would remove.
 *
 * @param removed the jobs removed (or to remove), oldest first
 * @param spared jobs selected but left alone because they were no longer finished when their turn came
 * @param logBytesBefore the logs' total size when the run looked
 * @param logBytesRemoved the size of the removed jobs' logs
 */
public record RetentionReport(boolean dryRun, Instant startedAt, Instant finishedAt, List<Removal> removed,
                              List<Long> spared, long logBytesBefore, long logBytesRemoved) {

    /** Why a job goes. */
    public enum Reason {
        AGE("age"),
        LOG_SIZE("log-size");

        private final String wireName;

        Reason(String wireName) {
            this.wireName = wireName;
        }

        @JsonValue
        public String wireName() {
            return wireName;
        }
    }

    /** One job that goes, with its prompts and its log of {@code logBytes}. */
    public record Removal(long jobId, String state, Instant finishedAt, long logBytes, Reason reason) {
    }
}
