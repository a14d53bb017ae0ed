package org.wikimedia.spiderpig.store;

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
import org.wikimedia.spiderpig.SpiderPigProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQLite under the data directory, through the project's own R2DBC driver; the schema is applied at start.
 * Set {@code spiderpig.database-url} to use another R2DBC database.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfiguration {

    static final String DATABASE_FILE = "spiderpig.db";

    @Bean(destroyMethod = "")
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
}
