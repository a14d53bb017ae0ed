package org.wikimedia.spiderpig.runner;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class RunnerConfiguration {

    @Bean
    SubprocessLauncher processLauncher() {
        return new SubprocessLauncher();
    }
}
