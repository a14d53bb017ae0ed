package org.wikimedia.spiderpig.store.r2dbc;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.ValidationDepth;
import java.time.Duration;
import org.wikimedia.spiderpig.config.SpiderPigProperties;

/**
 * Connections to the shared PostgreSQL database: a pool, because the driver opens a new server connection (a
 * process on the database host) for each one it is asked for, and every store call asks for one.
 */
public final class PostgresConnections {

    private PostgresConnections() {
    }

    public static ConnectionPool pool(SpiderPigProperties.Database database) {
        return new ConnectionPool(ConnectionPoolConfiguration.builder(unpooled(database))
                .name("spiderpig")
                .initialSize(1)
                .maxSize(Math.max(1, database.getMaxConnections()))
                .maxIdleTime(Duration.ofMinutes(10))
                .maxAcquireTime(Duration.ofSeconds(30))
                // The pool validates a connection at every acquire. A validation query would be a round trip
                // before every statement (every batch of a job's log, every job read: twice the statements
                // PostgreSQL and the driver's event loops handle); LOCAL asks only whether the connection is
                // still open, which a connection the server ended (restart, failover, pg_terminate_backend) is
                // not, and the pool then makes a new one.
                .validationDepth(ValidationDepth.LOCAL)
                .build());
    }

    /** A new server connection each time: for the one that listens for notices, held as long as the server runs. */
    public static ConnectionFactory unpooled(SpiderPigProperties.Database database) {
        ConnectionFactoryOptions.Builder options = ConnectionFactoryOptions.parse(database.getUrl()).mutate();
        if (database.getUsername() != null) {
            options.option(ConnectionFactoryOptions.USER, database.getUsername());
        }
        if (database.getPassword() != null) {
            options.option(ConnectionFactoryOptions.PASSWORD, database.getPassword());
        }
        return ConnectionFactories.get(options.build());
    }
}
