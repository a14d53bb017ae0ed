package org.wikimedia.spiderpig.startup;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

/**
 * Checks the settings once the environment is complete (files, arguments, test properties) and before
 * any bean uses them: an invalid one stops the start, an unknown key is warned about.
 */
@Configuration(proxyBeanMethods = false)
public class SettingsCheckConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsCheckConfiguration.class);

    /** Static: a factory post-processor runs before this configuration's own instance could exist. */
    @Bean
    static BeanFactoryPostProcessor settingsCheck(Environment environment) {
        return beanFactory -> {
            Binder binder = Binder.get(environment);
            for (String unknown : UnknownSettings.in(binder)) {
                LOG.warn("Unknown setting {}: SpiderPig has no such setting and ignores it; check its spelling against"
                        + " docs/configuration.md", unknown);
            }
            SpiderPigProperties settings = binder.bindOrCreate("spiderpig", SpiderPigProperties.class);
            List<SettingProblem> problems = SettingsCheck.check(settings, System.getenv("PATH"));
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
        };
    }
}
