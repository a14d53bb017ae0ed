package org.wikimedia.r2dbc.sqlite.spring;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.data.r2dbc.dialect.DialectResolver;
import org.springframework.data.r2dbc.dialect.R2dbcDialect;

import java.util.Optional;

/** Lets Spring Data R2DBC find {@link SqliteDialect} for SQLite connection factories (via spring.factories). */
public class SqliteDialectProvider implements DialectResolver.R2dbcDialectProvider {

    @Override
    public Optional<R2dbcDialect> getDialect(ConnectionFactory connectionFactory) {
        return isSqlite(connectionFactory) ? Optional.of(SqliteDialect.INSTANCE) : Optional.empty();
    }

    static boolean isSqlite(ConnectionFactory connectionFactory) {
        return "SQLite".equals(connectionFactory.getMetadata().getName());
    }
}
