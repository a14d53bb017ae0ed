package org.wikimedia.spiderpig.support;

import java.nio.file.Path;
import org.springframework.core.Ordered;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * The database and data directory of an {@link OnPostgresql} test class's server. As a listener it runs first
 * before the class (the database exists before the server starts, or the class is skipped: see
 * {@link PostgresTestDatabase}) and last after it (the database is dropped once the server has stopped). Classes
 * run one after another, so the one being run is the one whose server is starting.
 */
public final class PostgresServerDatabase implements TestExecutionListener, Ordered {

    private static volatile PostgresTestDatabase current;
    private static volatile Path currentDataDir;

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public void beforeTestClass(TestContext context) {
        current = PostgresTestDatabase.create();
        currentDataDir = TestScripts.tempDirectory("spiderpig-" + context.getTestClass().getSimpleName());
    }

    @Override
    public void afterTestClass(TestContext context) {
        PostgresTestDatabase database = current;
        current = null;
        currentDataDir = null;
        if (database != null) {
            database.close();
        }
    }

    /** The settings that put the server of the {@link OnPostgresql} class being run on its database. */
    public static void register(DynamicPropertyRegistry registry) {
        PostgresTestDatabase database = current;
        if (database == null) {
            throw new IllegalStateException("only an @OnPostgresql test class has a PostgreSQL database");
        }
        registry.add("spiderpig.database.url", database::url);
        registry.add("spiderpig.database.username", database::username);
        registry.add("spiderpig.database.password", database::password);
    }

    /**
     * The data directory for a server test's settings: {@code sqliteRun}'s own, or one of its own when the class
     * runs again on PostgreSQL (the SQLite run's server may still be using {@code sqliteRun}, with logs of job
     * ids the new database gives again). Spring calls a subclass's settings before its parent's, so the parent
     * asks here rather than being overridden.
     */
    public static Path dataDir(Path sqliteRun) {
        Path own = currentDataDir;
        return own == null ? sqliteRun : own;
    }
}
