package org.wikimedia.spiderpig.store.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/** The event logs move to PostgreSQL exactly when the database URL names it, pooled or not; SQLite keeps files. */
class PostgresLogConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @Conditional(PostgresLogConfiguration.PostgresqlConfigured.class)
    static class OnlyWithPostgresql {
        @Bean
        String logsInPostgresql() {
            return "yes";
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(OnlyWithPostgresql.class);

    @Test
    void postgresqlUrlsChooseTheDatabase() {
        runner.withPropertyValues("spiderpig.database.url=r2dbc:postgresql://db.example:5432/spiderpig")
                .run(context -> assertThat(context).hasBean("logsInPostgresql"));
        runner.withPropertyValues("spiderpig.database.url=r2dbc:pool:postgresql://db.example/spiderpig")
                .run(context -> assertThat(context).hasBean("logsInPostgresql"));
    }

    @Test
    void withoutADatabaseUrlTheLogsStayInFiles() {
        runner.run(context -> assertThat(context).doesNotHaveBean("logsInPostgresql"));
        runner.withPropertyValues("spiderpig.database.url=")
                .run(context -> assertThat(context).doesNotHaveBean("logsInPostgresql"));
    }
}
