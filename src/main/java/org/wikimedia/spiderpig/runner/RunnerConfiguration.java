package org.wikimedia.spiderpig.runner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.supervisor.SupervisorCommand;

/**
 * The launchers as Spring beans; their schedulers are disposed with the context. Jobs run under supervisors
 * ({@link SupervisedLauncher}); the plain launcher only serves the readiness check's test process.
 */
@Configuration(proxyBeanMethods = false)
public class RunnerConfiguration {

    @Bean(destroyMethod = "close")
    public SubprocessLauncher processLauncher() {
        return new SubprocessLauncher();
    }

    @Bean(destroyMethod = "close")
    @Primary
    public SupervisedLauncher supervisedLauncher(SpiderPigProperties properties) {
        return new SupervisedLauncher(properties.getDataDir().toAbsolutePath().resolve("supervisors"),
                SupervisorCommand.forThisJvm());
    }
}
