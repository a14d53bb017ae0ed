package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.r2dbc.connection.init.ConnectionFactoryInitializer;
import org.springframework.r2dbc.connection.init.ResourceDatabasePopulator;
import org.springframework.r2dbc.core.DatabaseClient;
import org.wikimedia.spiderpig.config.SpiderPigProperties;
import org.wikimedia.spiderpig.store.AuditStore;
import org.wikimedia.spiderpig.store.InteractionStore;
import org.wikimedia.spiderpig.store.JobStore;
import org.wikimedia.spiderpig.store.SessionStore;
import org.wikimedia.spiderpig.store.TokenStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQLite under the data directory ({@code spiderpig.data-dir}), reached by R2DBC URL through the project's own
 * driver; the schema is applied at start.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    static final String DATABASE_FILE = "spiderpig.db";

    /**
     * Closed on shutdown after every bean that uses it (Spring destroys dependents first), so a stopping
     * job's last write is in before SQLite checkpoints and closes the file. {@code close()} returns a
     * Publisher, which Spring awaits.
     */
    @Bean(destroyMethod = "close")
    ConnectionFactory connectionFactory(SpiderPigProperties properties) {
        Path dataDir = properties.getDataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        return ConnectionFactories.get("r2dbc:sqlite://" + dataDir.resolve(DATABASE_FILE));
    }

    @Bean
    ConnectionFactoryInitializer schemaInitializer(ConnectionFactory connectionFactory) {
        ConnectionFactoryInitializer initializer = new ConnectionFactoryInitializer();
        initializer.setConnectionFactory(connectionFactory);
        initializer.setDatabasePopulator(new ResourceDatabasePopulator(new ClassPathResource("db/schema.sql")));
        return initializer;
    }

    @Bean
    JobStore jobStore(DatabaseClient db, JsonMapper json) {
        return new R2dbcJobStore(db, json);
    }

    @Bean
    InteractionStore interactionStore(DatabaseClient db, JsonMapper json) {
        return new R2dbcInteractionStore(db, json);
    }

    @Bean
    TokenStore tokenStore(DatabaseClient db) {
        return new R2dbcTokenStore(db);
    }

    @Bean
    SessionStore sessionStore(DatabaseClient db) {
        return new R2dbcSessionStore(db);
    }

    @Bean
    AuditStore auditStore(DatabaseClient db) {
        return new R2dbcAuditStore(db);
    }
}
