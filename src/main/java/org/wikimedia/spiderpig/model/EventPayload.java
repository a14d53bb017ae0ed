package org.wikimedia.spiderpig.model;

/**
 * What happened in a job, before the job's event log gives it a sequence number and a time.
 * Each record's components are the fields of its JSON on the wire, beside {@code seq} and {@code ts}.
 */
public sealed interface EventPayload
        permits OutputLine, StatusChanged, ProgressChanged, InteractionOpened, InteractionAnswered,
                InteractionClosed, CancelRequested, StateChanged, JobEnded {

    EventType type();
}
