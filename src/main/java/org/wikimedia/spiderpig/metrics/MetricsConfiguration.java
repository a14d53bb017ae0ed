package org.wikimedia.spiderpig.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;

/** SpiderPig's own meters, on the registry that /actuator/prometheus exports; docs/operations.md lists them. */
@Configuration(proxyBeanMethods = false)
public class MetricsConfiguration {

    /** How stale the job gauges may be: a scrape interval's worth is plenty for alerting. */
    static final Duration JOB_GAUGE_REFRESH = Duration.ofSeconds(5);

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry) {
        return new JobMetrics(registry);
    }

    @Bean
    PromptMetrics promptMetrics(MeterRegistry registry) {
        return new PromptMetrics(registry);
    }

    @Bean
    StreamMetrics streamMetrics(MeterRegistry registry) {
        return new StreamMetrics(registry);
    }

    @Bean(destroyMethod = "close")
    JobStateGauges jobStateGauges(MeterRegistry registry, JobStore jobs, InteractionStore interactions, Clock clock,
                                  SpiderPigProperties properties) {
        Set<String> groups = new TreeSet<>();
        properties.getJobs().forEach((name, type) ->
                groups.add(type.getConcurrencyGroup() == null ? name : type.getConcurrencyGroup()));
        return new JobStateGauges(registry, jobs, interactions, clock, groups, JOB_GAUGE_REFRESH);
    }
}
