package org.wikimedia.spiderpig.job;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.gerrit.ChangeDetailsSource;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.metrics.JobMetrics;
import org.wikimedia.spiderpig.runner.ProcessLauncher;
import org.wikimedia.spiderpig.simulator.SelfCommand;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
public class JobConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JobTypes jobTypes(SpiderPigProperties properties) {
        return new JobTypes(properties.getJobs());
    }

    @Bean
    JobChanges jobChanges() {
        return new JobChanges();
    }

    @Bean
    ActiveJobs activeJobs() {
        return new ActiveJobs();
    }

    @Bean
    JobsAtShutdown jobsAtShutdown(ActiveJobs active, JobEventLogs logs, JobQueue queue) {
        return new JobsAtShutdown(active, logs, queue);
    }

    @Bean
    JobViews jobViews(JobStore jobs, InteractionStore interactions, JobEventLogs logs, EventMasker masker) {
        return new JobViews(jobs, interactions, logs, masker);
    }

    @Bean
    JobExecutor jobExecutor(JobTypes types, ProcessLauncher launcher, JobStore store, JobEventLogs logs,
                            JobChanges changes, JobViews views, Prompts prompts, ActiveJobs active,
                            SpiderPigProperties properties, JobMetrics metrics, Clock clock) {
        var settings = new JobExecutor.Settings(properties.getRunner().getPromptIdle(),
                properties.getRunner().getMaxLineBytes(), properties.getStreams().getJobUpdateInterval(),
                Map.of("SPIDERPIG_SIMULATOR_PACE", properties.getSimulator().getPace(),
                        "SPIDERPIG_SIMULATOR_STAGING_DIR", properties.trainStagingDir().toAbsolutePath().toString()),
                properties.getRunner().getStepTimeout(), properties.getEventLog().getWriteBatchBytes().toBytes());
        return new JobExecutor(types, launcher, SelfCommand::expand, store, logs, changes, views, prompts, active,
                settings, metrics, clock);
    }

    @Bean
    JobQueue jobQueue(JobStore store, JobExecutor executor, Clock clock) {
        return new JobQueue(store, executor, clock);
    }

    @Bean
    JobService jobService(JobTypes types, JobStore store, JobEventLogs logs, JobQueue queue, ActiveJobs active,
                          Prompts prompts, JobChanges changes, JobViews views, ChangeDetailsSource gerrit,
                          Clock clock) {
        return new JobService(types, store, logs, queue, active, prompts, changes, views,
                new ChangeDetailsOfJob(gerrit), clock);
    }

    /**
     * Runs once every bean exists and before the web server takes requests, so that no request sees a job
     * still "running" from a previous server process. Blocking here is startup, not a request path.
     */
    @Bean
    SmartInitializingSingleton jobRecovery(JobStore store, JobEventLogs logs, Prompts prompts, JobQueue queue,
                                           Clock clock) {
        return () -> {
            var processControl = Schedulers.newBoundedElastic(2, 1000, "job-recovery");
            try {
                new JobRecovery(store, logs, prompts, queue, processControl, Duration.ofSeconds(5), clock)
                        .recover()
                        .block(Duration.ofMinutes(2));
            } finally {
                processControl.dispose();
            }
        };
    }
}
