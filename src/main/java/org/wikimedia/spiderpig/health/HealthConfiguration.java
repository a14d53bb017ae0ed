package org.wikimedia.spiderpig.health;

import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.runner.SubprocessLauncher;
import reactor.core.scheduler.Schedulers;

/**
 * SpiderPig's own readiness checks, next to Spring Boot's database check ({@code r2dbc}); the names of
 * the beans are the names of the components in /actuator/health (see docs/operations.md).
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

    /** The check touches files: a thread or two of its own ({@code health-check}), as probes come every few seconds. */
    @Bean
    DataDirectoryHealth dataDirectory(SpiderPigProperties properties) {
        return new DataDirectoryHealth(properties.getDataDir().toAbsolutePath().normalize(),
                properties.getHealth().getMinFreeSpace(), Schedulers.newBoundedElastic(2, 100, "health-check"));
    }

    @Bean
    ReactiveHealthIndicator jobRunner(SubprocessLauncher launcher) {
        return new JobRunnerHealth(launcher);
    }
}
