package org.wikimedia.spiderpig.support;

import java.nio.file.Path;
import org.springframework.core.Ordered;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * The database and data directory of an {@link OnPostgresql} test class's server. As a listener it runs first
 * before the class (the database exists before the server starts, or the class is skipped: see
 * {@link PostgresTestDatabase}) and last after it (the database is dropped once the server has stopped). Classes
 * run one after another, so the one being run is the one whose server is starting. Before the first test it
 * checks that the server did take the database: a run that silently fell back to SQLite would pass for nothing.
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

    /** The database of the {@link OnPostgresql} class being run, for a test that acts on it behind its server. */
    public static PostgresTestDatabase current() {
        PostgresTestDatabase database = current;
        if (database == null) {
            throw new IllegalStateException("only an @OnPostgresql test class has a PostgreSQL database");
        }
        return database;
    }

    @Override
    public void prepareTestInstance(TestContext context) {
        if (current == null) {
            return;
        }
        SpiderPigProperties settings = context.getApplicationContext().getBean(SpiderPigProperties.class);
        if (!settings.getDatabase().isPostgresql() || !currentDataDir.equals(settings.getDataDir())) {
            throw new IllegalStateException(context.getTestClass().getSimpleName() + " is @OnPostgresql but its"
                    + " server runs on " + settings.getDatabase().getUrl() + " in " + settings.getDataDir());
        }
    }

    /**
     * When an {@link OnPostgresql} class is being run, the settings that put its server on its database, with a
     * data directory of its own (the SQLite run's server may still be using the class's usual one, with logs of
     * job ids the new database gives again). Nothing otherwise. {@link ServerTestSupport} calls this; Spring
     * calls a subclass's settings before its parent's, so these override the test class's own.
     */
    public static void registerWhenOnPostgresql(DynamicPropertyRegistry registry) {
        PostgresTestDatabase database = current;
        Path dataDir = currentDataDir;
        if (database == null) {
            return;
        }
        registry.add("spiderpig.database.url", database::url);
        registry.add("spiderpig.database.username", database::username);
        registry.add("spiderpig.database.password", database::password);
        registry.add("spiderpig.data-dir", dataDir::toString);
    }
}
