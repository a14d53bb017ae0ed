package org.wikimedia.spiderpig.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/** The life of a job. A final state never changes again. */
public enum JobState {
    QUEUED("queued"),
    RUNNING("running"),
    AWAITING_INPUT("awaiting-input"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    INTERRUPTED("interrupted");

    public static final Set<JobState> ACTIVE = EnumSet.of(RUNNING, AWAITING_INPUT);

    private final String wireName;

    JobState(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED || this == INTERRUPTED;
    }

    public static JobState fromWireName(String name) {
        return Arrays.stream(values())
                .filter(state -> state.wireName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown job state: " + name));
    }
}
