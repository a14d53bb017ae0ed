package org.wikimedia.spiderpig.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.wikimedia.spiderpig.event.InteractionView;

/** A job-level change for {@code /api/events}; {@code event} is the SSE event name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobChange(@JsonIgnore String event, JobView job, InteractionView interaction) {

    public static final String CREATED = "job-created";
    public static final String UPDATED = "job-updated";
    public static final String FINISHED = "job-finished";
    public static final String INTERACTION = "interaction";
    public static final String INTERACTION_ANSWERED = "interaction-answered";
}
