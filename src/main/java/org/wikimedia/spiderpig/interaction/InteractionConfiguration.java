package org.wikimedia.spiderpig.interaction;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.job.ActiveJobs;
import org.wikimedia.spiderpig.job.JobChanges;
import org.wikimedia.spiderpig.job.JobViews;
import org.wikimedia.spiderpig.metrics.PromptMetrics;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;

@Configuration(proxyBeanMethods = false)
public class InteractionConfiguration {

    @Bean
    InteractionService interactionService(InteractionStore interactions, JobStore jobs, JobEventLogs logs,
                                           ActiveJobs active, JobChanges changes, JobViews views, PromptMetrics metrics,
                                           Clock clock) {
        return new InteractionService(interactions, jobs, logs, active, changes, views, metrics, clock);
    }
}
