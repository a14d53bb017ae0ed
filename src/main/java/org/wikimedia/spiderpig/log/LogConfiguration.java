package org.wikimedia.spiderpig.log;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.SpiderPigProperties;
import org.wikimedia.spiderpig.event.EventJson;
import org.wikimedia.spiderpig.log.masking.EventMasker;
import org.wikimedia.spiderpig.log.masking.SecretPatterns;

@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    @Bean
    EventJson eventJson() {
        return new EventJson();
    }

    @Bean
    FileJobEventLogs jobEventLogs(SpiderPigProperties properties, EventJson eventJson) {
        return new FileJobEventLogs(properties.getDataDir().toAbsolutePath().normalize().resolve("logs"), eventJson);
    }

    @Bean
    EventMasker eventMasker(SpiderPigProperties properties) {
        return new EventMasker(SecretPatterns.defaultsAnd(properties.getMasking().getPatterns()));
    }
}
