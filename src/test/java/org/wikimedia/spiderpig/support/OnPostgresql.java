package org.wikimedia.spiderpig.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestExecutionListeners;

/**
 * A {@link ServerTest} class run again with its server on PostgreSQL: the subclass annotated with this registers
 * {@link PostgresServerDatabase#register} in a {@code @DynamicPropertySource} of its own, and its parent takes its
 * data directory from {@link PostgresServerDatabase#dataDir}. The server stops after the class, before its database
 * is dropped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@DirtiesContext
@TestExecutionListeners(listeners = PostgresServerDatabase.class,
        mergeMode = TestExecutionListeners.MergeMode.MERGE_WITH_DEFAULTS)
public @interface OnPostgresql {
}
