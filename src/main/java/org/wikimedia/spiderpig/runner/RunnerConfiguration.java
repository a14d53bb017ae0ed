package org.wikimedia.spiderpig.runner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The subprocess launcher as a Spring bean; its schedulers are disposed with the context. */
@Configuration(proxyBeanMethods = false)
public class RunnerConfiguration {

    @Bean(destroyMethod = "close")
    public SubprocessLauncher processLauncher() {
        return new SubprocessLauncher();
    }
}
