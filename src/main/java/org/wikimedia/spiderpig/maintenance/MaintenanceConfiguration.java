package org.wikimedia.spiderpig.maintenance;

import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.JobEventLogs;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.StoreBackup;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
public class MaintenanceConfiguration {

    /** Where {@code POST /api/admin/backup} writes, under the data directory. */
    public static final String BACKUPS = "backups";

    @Bean
    MaintenanceLock maintenanceLock() {
        return new MaintenanceLock();
    }

    @Bean
    RetentionService retentionService(JobStore store, JobEventLogs logs, MaintenanceLock lock,
                                      SpiderPigProperties properties, Clock clock) {
        var retention = properties.getRetention();
        var settings = new RetentionSettings(retention.getMaxAge(), retention.getKeepNewest(),
                retention.getMaxLogSize() == null ? null : retention.getMaxLogSize().toBytes());
        return new RetentionService(store, logs, lock, settings, clock, RetentionService.AfterSelection.NOTHING);
    }

    @Bean
    RetentionMetrics retentionMetrics(RetentionService retention) {
        return new RetentionMetrics(retention);
    }

    @Bean
    @ConditionalOnProperty(name = "spiderpig.retention.enabled", havingValue = "true", matchIfMissing = true)
    RetentionSchedule retentionSchedule(RetentionService retention, SpiderPigProperties properties) {
        return new RetentionSchedule(retention.run(), Duration.ofMinutes(1), properties.getRetention().getInterval(),
                Schedulers.parallel());
    }

    @Bean
    BackupService backupService(StoreBackup store, JobEventLogs logs, MaintenanceLock lock,
                                SpiderPigProperties properties, Clock clock) {
        return new BackupService(store, logs, lock,
                properties.getDataDir().toAbsolutePath().normalize().resolve(BACKUPS),
                Schedulers.newBoundedElastic(1, 100, "maintenance-io"), clock);
    }
}
