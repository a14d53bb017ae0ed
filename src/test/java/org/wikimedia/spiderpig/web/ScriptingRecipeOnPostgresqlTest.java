package org.wikimedia.spiderpig.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.support.OnPostgresql;
import org.wikimedia.spiderpig.support.PostgresServerDatabase;

/**
 * {@link ScriptingRecipeTest} again with the server's records in PostgreSQL: a simulated backport started, followed,
 * its prompts answered, succeeded, its answers listed.
 */
@OnPostgresql
class ScriptingRecipeOnPostgresqlTest extends ScriptingRecipeTest {

    @Autowired
    SpiderPigProperties properties;

    @DynamicPropertySource
    static void onPostgresql(DynamicPropertyRegistry registry) {
        PostgresServerDatabase.register(registry);
    }

    @Test
    void theServerKeepsItsRecordsInPostgresql() {
        assertThat(properties.getDatabase().isPostgresql()).isTrue();
        assertThat(properties.getDataDir()).isNotEqualTo(DATA);
    }
}
