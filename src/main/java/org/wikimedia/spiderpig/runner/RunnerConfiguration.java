package org.wikimedia.spiderpig.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
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

    private static final Logger LOG = LoggerFactory.getLogger(RunnerConfiguration.class);

    @Bean(destroyMethod = "close")
    public SubprocessLauncher processLauncher() {
        return new SubprocessLauncher();
    }

    @Bean(destroyMethod = "close")
    @Primary
    public SupervisedLauncher supervisedLauncher(SpiderPigProperties properties) {
        Path dataDir = properties.getDataDir().toAbsolutePath();
        return new SupervisedLauncher(dataDir.resolve("supervisors"), supervisorCommand(dataDir.resolve("supervisor-jvm")),
                properties.getRunner().isSpareSupervisor());
    }

    /** The first spare supervisor once the server has started, so that the two JVMs' starts do not compete. */
    @Bean
    public ApplicationListener<ApplicationReadyEvent> spareSupervisorStarter(SupervisedLauncher launcher) {
        return event -> launcher.startSpare();
    }

    private static List<String> supervisorCommand(Path directory) {
        try {
            return SupervisorCommand.forThisJvm(directory);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot prepare the supervisors' small jar in {}; they start from the server's jar", directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return SupervisorCommand.forThisJvm();
    }
}
