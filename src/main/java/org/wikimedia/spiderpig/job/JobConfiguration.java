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
import org.wikimedia.spiderpig.store.InstanceStore;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobCommandStore;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
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

    /** Blocks once, at startup: this instance says it is alive before it recovers or starts any job. */
    @Bean
    ThisInstance thisInstance(SpiderPigProperties properties, InstanceStore instances, QueueLeaseStore leases,
                              Clock clock) {
        ThisInstance me = ThisInstance.of(properties.getInstance(), clock.instant());
        InstanceHeartbeat.announce(me, instances, leases, clock).block(Duration.ofMinutes(1));
        return me;
    }

    @Bean
    RemoteJobs remoteJobs(ThisInstance me, JobOwnerStore owners, JobCommandStore commands, Clock clock) {
        return new RemoteJobs(me, owners, commands, clock);
    }

    @Bean
    ActiveJobs activeJobs(RemoteJobs remote) {
        return new ActiveJobs(remote);
    }

    @Bean
    ClusterQueue clusterQueue(ThisInstance me, QueueLeaseStore leases, InstanceStore instances, JobOwnerStore owners,
                              JobStore store, JobEventLogs logs, Prompts prompts, JobChanges changes, JobViews views,
                              SpiderPigProperties properties, Clock clock) {
        return new ClusterQueue(me, leases, instances, owners, store,
                new DeadHostJobs(store, logs, prompts, changes, views, clock), properties.getInstance().getLeaseTtl(), clock);
    }

    @Bean
    InstanceHeartbeat instanceHeartbeat(ThisInstance me, InstanceStore instances, QueueLeaseStore leases, JobStore store,
                                        JobQueue queue, SpiderPigProperties properties, Clock clock) {
        return new InstanceHeartbeat(me, instances, leases, store, queue, properties.getInstance().getHeartbeat(),
                properties.getInstance().getLeaseTtl(), clock);
    }

    @Bean
    JobCommandRelay jobCommandRelay(ActiveJobs active, JobService jobs, JobCommandStore commands,
                                    SpiderPigProperties properties, Clock clock) {
        return new JobCommandRelay(active, jobs, commands, properties.getInstance().getCommandPoll(), clock);
    }

    @Bean
    JobsAtShutdown jobsAtShutdown(ActiveJobs active, JobEventLogs logs, JobQueue queue) {
        return new JobsAtShutdown(active, logs, queue);
    }

    @Bean
    JobViews jobViews(JobStore jobs, InteractionStore interactions, JobEventLogs logs, EventMasker masker) {
        return new JobViews(jobs, interactions, logs, masker);
    }

    /**
     * The steps of a job's end wait on its log and its record; with PostgreSQL those wait out an outage of the
     * database for up to {@code spiderpig.database.outage-retry} before they fail, and a step's deadline must
     * not cut that short (or the job would fail for an outage it was meant to survive).
     */
    static Duration stepTimeout(SpiderPigProperties properties) {
        Duration step = properties.getRunner().getStepTimeout();
        SpiderPigProperties.Database database = properties.getDatabase();
        return database.isPostgresql() ? step.plus(database.getOutageRetry()) : step;
    }

    @Bean
    JobExecutor jobExecutor(JobTypes types, ProcessLauncher launcher, JobStore store, JobEventLogs logs,
                            JobChanges changes, JobViews views, Prompts prompts, ActiveJobs active,
                            SpiderPigProperties properties, JobMetrics metrics, Clock clock) {
        var settings = new JobExecutor.Settings(properties.getRunner().getPromptIdle(),
                properties.getRunner().getMaxLineBytes(), properties.getStreams().getJobUpdateInterval(),
                Map.of("SPIDERPIG_SIMULATOR_PACE", properties.getSimulator().getPace(),
                        "SPIDERPIG_SIMULATOR_STAGING_DIR", properties.trainStagingDir().toAbsolutePath().toString()),
                stepTimeout(properties), properties.getEventLog().getWriteBatchBytes().toBytes());
        return new JobExecutor(types, launcher, SelfCommand::expand, store, logs, changes, views, prompts, active,
                settings, metrics, clock);
    }

    @Bean
    JobQueue jobQueue(JobStore store, JobExecutor executor, Clock clock, ClusterQueue cluster) {
        return new JobQueue(store, executor, clock, cluster);
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
