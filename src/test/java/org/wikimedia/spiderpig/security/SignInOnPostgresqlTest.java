package org.wikimedia.spiderpig.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.beans.factory.annotation.Autowired;
import org.wikimedia.spiderpig.support.OnPostgresql;
import org.wikimedia.spiderpig.web.JobApiTestAccess;

/** {@link SignInTest} again, with sessions, tokens, second factors, jobs and the audit trail in PostgreSQL. */
@OnPostgresql
class SignInOnPostgresqlTest extends SignInTest {

    @Autowired
    MeterRegistry metrics;

    @Test
    void thePoolsMetricsReplaceSqlitesOwn() {
        assertThat(metrics.find("r2dbc.pool.acquired").gauge()).as("the pool's metrics (docs/operations.md)").isNotNull();
        assertThat(metrics.find("spiderpig.sqlite.readers").gauge()).isNull();
    }

    @Test
    void backupsAreLeftToTheDatabasesOwnTools() {
        SignInFixture.Caller admin = SignInFixture.signIn(client, "admin", SignInFixture.PASSWORD);

        JobApiTestAccess.problem(admin.request(client, HttpMethod.POST, "/api/admin/backup").exchange(), 409,
                "backup-by-database");
    }
}
