package org.wikimedia.spiderpig.store.r2dbc;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.DataDirectoryLock;
import org.wikimedia.spiderpig.store.InstanceStore;
import org.wikimedia.spiderpig.store.JobCommandStore;
import org.wikimedia.spiderpig.store.JobOwnerStore;
import org.wikimedia.spiderpig.store.QueueLeaseStore;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.SecondFactorStore;
import org.wikimedia.spiderpig.store.OidcUserStore;
import org.wikimedia.spiderpig.store.ThrottleStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.SessionStore;
import org.wikimedia.spiderpig.store.TokenStore;
import org.wikimedia.spiderpig.store.StoreBackup;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQLite under the data directory ({@code spiderpig.data-dir}), reached by R2DBC URL through the project's own
 * driver, or PostgreSQL when {@code spiderpig.database.url} names it; the schema is migrated to this release's version at start, before any store is used.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    /** The SQLite database's file in the data directory. */
    public static final String DATABASE_FILE = "spiderpig.db";

    /**
     * Held while the server runs, released after the database is closed (Spring destroys the connection factory,
     * which depends on it, first): a tool that needs the data directory alone sees that a server uses it.
     */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(SpiderPigProperties properties) {
        return DataDirectoryLock.shared(properties.getDataDir().toAbsolutePath().normalize());
    }

    /**
     * Closed on shutdown after every bean that uses it (Spring destroys dependents first), so a stopping
     * job's last write is in before SQLite checkpoints and closes the file. {@code close()} returns a
     * Publisher, which Spring awaits.
     */
    @Bean(destroyMethod = "close")
    ConnectionFactory connectionFactory(SpiderPigProperties properties, DataDirectoryLock inUse) {
        if (properties.getDatabase().isPostgresql()) {
            return PostgresConnections.pool(properties.getDatabase());
        }
        Path dataDir = properties.getDataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        return ConnectionFactories.get(ConnectionFactoryOptions.parse("r2dbc:sqlite://" + dataDir.resolve(DATABASE_FILE))
                .mutate().option(Option.valueOf("jmxName"), jmxName(properties)).build());
    }

    /** The database file's path names the driver's statistics: one per database, even with several servers in a JVM. */
    private static String jmxName(SpiderPigProperties properties) {
        return properties.getDataDir().toAbsolutePath().normalize().resolve(DATABASE_FILE).toString();
    }

    /** PostgreSQL's pool is measured by Spring Boot already ({@code r2dbc_pool_*}, docs/operations.md#metrics). */
    @Bean
    MeterBinder sqliteDriverMetrics(SpiderPigProperties properties) {
        return properties.getDatabase().isPostgresql() ? registry -> { } : new SqliteDriverMetrics(jmxName(properties));
    }

    /**
     * What the stores run their statements through. With PostgreSQL, a connection that cannot be had is asked
     * for again for {@code spiderpig.database.outage-retry} ({@link OutageTolerantConnections}); the pool bean
     * itself stays as it is, for the health check and the schema migrations.
     */
    @Bean
    DatabaseClient databaseClient(ConnectionFactory connectionFactory, SpiderPigProperties properties) {
        SpiderPigProperties.Database database = properties.getDatabase();
        return DatabaseClient.create(database.isPostgresql()
                ? new OutageTolerantConnections(connectionFactory, new OutageRetry(database.getOutageRetry()))
                : connectionFactory);
    }

    /** Blocks once, at startup (not a request path), so that the stores below only ever see the current schema. */
    @Bean
    SchemaMigrations schemaMigrations(ConnectionFactory connectionFactory) {
        SchemaMigrations migrations = new SchemaMigrations(connectionFactory, "db/migration", Clock.systemUTC());
        migrations.migrate().block(Duration.ofMinutes(5));
        return migrations;
    }

    /** With PostgreSQL, a statement cut off mid-flight is sent again when it is safe to ({@link StatementRepeat}). */
    private static StatementRepeat statementRepeat(SpiderPigProperties properties) {
        SpiderPigProperties.Database database = properties.getDatabase();
        return database.isPostgresql() ? StatementRepeat.within(new OutageRetry(database.getOutageRetry()))
                : StatementRepeat.never();
    }

    @Bean
    JobStore jobStore(DatabaseClient db, JsonMapper json, SpiderPigProperties properties, SchemaMigrations migrated) {
        return new R2dbcJobStore(db, json, statementRepeat(properties));
    }

    @Bean
    InteractionStore interactionStore(DatabaseClient db, JsonMapper json, SpiderPigProperties properties,
            SchemaMigrations migrated) {
        return new R2dbcInteractionStore(db, json, statementRepeat(properties));
    }

    @Bean
    StoreBackup storeBackup(DatabaseClient db, SpiderPigProperties properties, SchemaMigrations migrated) {
        if (properties.getDatabase().isPostgresql()) {
            return new PostgresStoreBackup();
        }
        return new SqliteStoreBackup(db, Schedulers.newBoundedElastic(1, 16, "store-backup"));
    }

    @Bean
    TokenStore tokenStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcTokenStore(db);
    }

    @Bean
    SessionStore sessionStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcSessionStore(db);
    }

    @Bean
    OidcUserStore oidcUserStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcOidcUserStore(db);
    }

    @Bean
    ThrottleStore throttleStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcThrottleStore(db);
    }

    @Bean
    AuditStore auditStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcAuditStore(db);
    }

    @Bean
    SecondFactorStore secondFactorStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcSecondFactorStore(db);
    }

    @Bean
    InstanceStore instanceStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcInstanceStore(db);
    }

    @Bean
    QueueLeaseStore queueLeaseStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcQueueLeaseStore(db);
    }

    @Bean
    JobCommandStore jobCommandStore(DatabaseClient db, JsonMapper json, SpiderPigProperties properties,
            SchemaMigrations migrated) {
        if (properties.getDatabase().isPostgresql()) {
            return new PostgresJobCommandStore(db, json, PostgresConnections.unpooled(properties.getDatabase()));
        }
        return new R2dbcJobCommandStore(db, json);
    }

    @Bean
    JobOwnerStore jobOwnerStore(DatabaseClient db, SchemaMigrations migrated) {
        return new R2dbcJobOwnerStore(db);
    }
}
