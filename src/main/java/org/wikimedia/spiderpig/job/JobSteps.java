package org.wikimedia.spiderpig.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.wikimedia.spiderpig.model.JobEnded;
import org.wikimedia.spiderpig.model.JobEvent;
import org.wikimedia.spiderpig.model.OutputLine;
import org.wikimedia.spiderpig.model.ProgressChanged;
import org.wikimedia.spiderpig.model.StatusChanged;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The steps of a job, read from its events in order: each status opens one, the next status or the end closes it. */
public final class JobSteps {

    private final List<JobStep> done = new ArrayList<>();
    private long lines;
    private StatusChanged open;
    private long openSeq;
    private Instant openedAt;
    private long openFirstLine;
    private int openFailedTasks;

    private JobSteps() {
    }

    /** The steps of {@code events} (a job's log from its first event on, masked as the reader may see it). */
    public static Mono<List<JobStep>> of(Flux<JobEvent> events) {
        return events.reduce(new JobSteps(), JobSteps::take).map(JobSteps::steps);
    }

    private JobSteps take(JobEvent event) {
        if (event.payload() instanceof OutputLine line) {
            lines = Math.max(lines, line.line());
        } else if (event.payload() instanceof ProgressChanged progress) {
            Integer failed = progress.progress().tasksFinishedFailed();
            if (open != null && failed != null) {
                openFailedTasks = Math.max(openFailedTasks, failed);
            }
        } else if (event.payload() instanceof StatusChanged status) {
            close(event.ts());
            if (status.status() != null && !status.status().isBlank()) {
                open = status;
                openSeq = event.seq();
                openedAt = event.ts();
                openFirstLine = lines + 1;
                openFailedTasks = 0;
            }
        } else if (event.payload() instanceof JobEnded) {
            close(event.ts());
        }
        return this;
    }

    private void close(Instant at) {
        if (open != null) {
            done.add(new JobStep(openSeq, open.status(), openedAt, openFirstLine, at, lines, openFailedTasks));
            open = null;
        }
    }

    private List<JobStep> steps() {
        List<JobStep> all = new ArrayList<>(done);
        if (open != null) {
            all.add(new JobStep(openSeq, open.status(), openedAt, openFirstLine, null, null, openFailedTasks));
        }
        return all;
    }
}
