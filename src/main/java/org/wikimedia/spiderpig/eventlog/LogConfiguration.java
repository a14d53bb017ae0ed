package org.wikimedia.spiderpig.eventlog;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.masking.EventMasker;
import org.wikimedia.spiderpig.masking.SecretPatterns;
import org.wikimedia.spiderpig.model.json.EventJson;

@Configuration(proxyBeanMethods = false)
public class LogConfiguration {

    @Bean
    EventJson eventJson() {
        return new EventJson();
    }

    /** In the shared database when there is one (PostgreSQL), else in files under the data directory. */
    @Bean
    JobEventLogs jobEventLogs(SpiderPigProperties properties, EventJson eventJson, ObjectProvider<LogDatabase> database) {
        LogDatabase shared = database.getIfAvailable();
        if (shared != null) {
            return new SharedJobEventLogs(shared, eventLogSettings(properties)
                    .withWriteInterval(properties.getEventLog().getDatabaseWriteInterval()),
                    properties.getDatabase().getMaxConnections());
        }
        return new FileJobEventLogs(properties.getDataDir().toAbsolutePath().normalize().resolve(FileJobEventLogs.DIRECTORY), eventJson,
                eventLogSettings(properties));
    }

    static EventLogSettings eventLogSettings(SpiderPigProperties properties) {
        SpiderPigProperties.EventLog log = properties.getEventLog();
        return new EventLogSettings(log.getRingEvents(), log.getRingBytes().toBytes(),
                log.getEndedRingBytes().toBytes(), log.getFollowBatch(), log.getFollowBatchBytes().toBytes(),
                log.getCachedLogs(), log.getWriteBatchBytes().toBytes(), log.getWakeInterval());
    }

    @Bean
    EventMasker eventMasker(SpiderPigProperties properties) {
        return new EventMasker(SecretPatterns.defaultsAnd(properties.getMasking().getPatterns()));
    }
}
