package org.wikimedia.spiderpig.maintenance;

import java.time.Duration;

/**
 * What retention keeps.
 *
 * @param maxAge finished jobs that finished longer ago go
 * @param keepNewest the newest finished jobs always stay
 * @param maxLogBytes when not null, the oldest finished jobs beyond {@code keepNewest} also go until all logs fit
 */
public record RetentionSettings(Duration maxAge, int keepNewest, Long maxLogBytes) {

    /**
     * A job is only removed once it has been finished this long, even under the size cap: a job's last events
     * (its final state, its end) are written to its log just after the database says it finished.
     */
    public static final Duration SETTLED = Duration.ofMinutes(10);

    public RetentionSettings {
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("spiderpig.retention.max-age must be positive, not " + maxAge);
        }
        if (keepNewest < 0) {
            throw new IllegalArgumentException("spiderpig.retention.keep-newest must be 0 or more, not " + keepNewest);
        }
        if (maxLogBytes != null && maxLogBytes < 0) {
            throw new IllegalArgumentException("spiderpig.retention.max-log-size must be 0 or more, not " + maxLogBytes);
        }
    }
}
