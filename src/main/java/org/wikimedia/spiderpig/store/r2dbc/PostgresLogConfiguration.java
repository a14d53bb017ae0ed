package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.eventlog.LogDatabase;
import org.wikimedia.spiderpig.model.json.EventJson;

/** Jobs' event logs in PostgreSQL when {@code spiderpig.database.url} names it (the event log configuration picks it up). */
@Configuration(proxyBeanMethods = false)
@Conditional(PostgresLogConfiguration.PostgresqlConfigured.class)
public class PostgresLogConfiguration {

    /** How long a log's call to the database may take before its append or read fails. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    LogDatabase logDatabase(ConnectionFactory connectionFactory, SpiderPigProperties properties, EventJson eventJson,
            SchemaMigrations migrated) {
        return new PostgresLogDatabase(connectionFactory, PostgresConnections.unpooled(properties.getDatabase()),
                eventJson, CALL_TIMEOUT, properties.getDatabase().getOutageRetry());
    }

    static final class PostgresqlConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return Binder.get(context.getEnvironment())
                    .bind("spiderpig.database", SpiderPigProperties.Database.class)
                    .map(SpiderPigProperties.Database::isPostgresql)
                    .orElse(false);
        }
    }
}
