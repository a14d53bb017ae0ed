package org.wikimedia.spiderpig.job;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.model.Job;
import org.wikimedia.spiderpig.model.OutputLine;

/**
 * When the server stops, the jobs it runs go on under their supervisors: no queued job starts any more,
 * each running job is let go of (its process is not touched) and told so in its log, and the next server
 * re-attaches to them ({@link JobRecovery}). Runs before the event logs close.
 */
class JobsAtShutdown implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobsAtShutdown.class);
    static final String NOTICE = "[spiderpig] The SpiderPig server is stopping while this job runs. The job goes on;"
            + " its output is kept and shown again when the server is back.";
    /** Shutdown is not a request path, and a log that cannot take one line in this time has bigger problems. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

    private final ActiveJobs active;
    private final JobEventLogs logs;
    private final JobQueue queue;
    private volatile boolean running;

    JobsAtShutdown(ActiveJobs active, JobEventLogs logs, JobQueue queue) {
        this.active = active;
        this.logs = logs;
        this.queue = queue;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        queue.stop();
        for (JobExecution execution : active.all()) {
            Job job = execution.job();
            LOG.info("Server stopping while job {} ({}) runs: its process (group {}) goes on under its supervisor,"
                            + " and the next server re-attaches to it",
                    job.id(), job.description(), execution.pid() == null ? "not started yet" : execution.pid());
            execution.detach();
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
