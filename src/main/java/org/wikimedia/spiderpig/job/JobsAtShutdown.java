package org.wikimedia.spiderpig.job;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * Says, in the server's log and in each job's own log, what becomes of the jobs still running when the
 * server stops: their processes are not stopped, but lose their output and input with the server, and the
 * next server marks them interrupted ({@link JobRecovery}). Runs before the event logs close.
 */
class JobsAtShutdown implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobsAtShutdown.class);
    static final String NOTICE = "[spiderpig] The SpiderPig server is stopping while this job runs. Its process "
            + "loses its output and input with the server and usually ends at its next write; when the server "
            + "starts again, the job is marked interrupted.";
    /** Shutdown is not a request path, and a log that cannot take one line in this time has bigger problems. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

    private final ActiveJobs active;
    private final JobEventLogs logs;
    private volatile boolean running;

    JobsAtShutdown(ActiveJobs active, JobEventLogs logs) {
        this.active = active;
        this.logs = logs;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        for (JobExecution execution : active.all()) {
            Job job = execution.job();
            LOG.warn("Server stopping while job {} ({}) runs: its process (group {}) is left to end by itself when"
                            + " its output pipe closes, and the job will be marked interrupted at the next start",
                    job.id(), job.description(), execution.pid() == null ? "not started yet" : execution.pid());
            try {
                logs.forJob(job.id())
                        .append(OutputLine.unnumbered(OutputLine.Stream.STDERR, NOTICE, false))
                        .block(WRITE_TIMEOUT);
            } catch (RuntimeException e) {
                LOG.warn("could not write the shutdown notice to job {}'s log", job.id(), e);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
