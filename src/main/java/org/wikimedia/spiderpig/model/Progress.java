package org.wikimedia.spiderpig.model;

/** A progress report, with the field names of scap's SpiderPig I/O protocol. Any field may be null. */
public record Progress(
        String name,
        Integer totalTasks,
        Integer tasksInFlight,
        Integer tasksFinishedOk,
        Integer tasksFinishedFailed,
        Integer tasksFinishedTotal,
        Integer tasksPercentComplete,
        Integer tasksRemaining,
        Boolean progressFinished) {
}
