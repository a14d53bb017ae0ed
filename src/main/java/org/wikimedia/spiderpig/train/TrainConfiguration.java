package org.wikimedia.spiderpig.train;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The train's status. Without a configured staging directory, the embedded example is made under the data
 * directory on first start (blocking: this is startup, not a request).
 */
@Configuration(proxyBeanMethods = false)
public class TrainConfiguration {

    @Bean
    StagingDirectory stagingDirectory(SpiderPigProperties properties, JsonMapper json) {
        StagingDirectory staging = new StagingDirectory(properties.trainStagingDir(), json);
        if (properties.getTrain().getStagingDir() == null) {
            EmbeddedStaging.createIfMissing(staging);
        }
        return staging;
    }

    @Bean
    TrainStatusService trainStatusService(StagingDirectory staging, TrainBlockersSource blockers) {
        return new TrainStatusService(staging, blockers, Schedulers.newBoundedElastic(2, 100, "train-staging"));
    }
}
