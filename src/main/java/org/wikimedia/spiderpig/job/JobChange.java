package org.wikimedia.spiderpig.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.wikimedia.spiderpig.model.Interaction;

/** A job-level change for {@code /api/events}; its kind names the SSE event. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobChange(@JsonIgnore Kind kind, JobView job, Interaction interaction) {

    public enum Kind {
        CREATED("job-created"),
        UPDATED("job-updated"),
        FINISHED("job-finished"),
        INTERACTION("interaction"),
        INTERACTION_ANSWERED("interaction-answered");

        private final String eventName;

        Kind(String eventName) {
            this.eventName = eventName;
        }

        /** The SSE event name, as docs/api.md lists it. */
        public String eventName() {
            return eventName;
        }
    }
}
