package org.wikimedia.spiderpig.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestPropertySource;

/**
 * A {@link ServerTest} class run again with its server on PostgreSQL, in a fresh database and data directory:
 * {@code @OnPostgresql class JobApiOnPostgresqlTest extends JobApiTest {}} is all it takes.
 * {@link PostgresServerDatabase} creates the database before the class and drops it after, once the server has
 * stopped; {@link ServerTestSupport} hands its settings to the server. The property below only makes the class's
 * server a different one from its parent's in Spring's context cache, which would otherwise give it the parent's
 * server, on SQLite.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@DirtiesContext
@TestExecutionListeners(listeners = PostgresServerDatabase.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
@TestPropertySource(properties = "spiderpig-test.store=postgresql")
public @interface OnPostgresql {
}
