package org.wikimedia.r2dbc.sqlite.spring;

import io.r2dbc.spi.ConnectionFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactory;
import org.springframework.r2dbc.core.binding.BindMarkersFactoryResolver;

/** Lets Spring's {@code DatabaseClient} find SQLite's {@code ?1} bind markers (via spring.factories). */
public class SqliteBindMarkersProvider implements BindMarkersFactoryResolver.BindMarkerFactoryProvider {

    @Override
    public BindMarkersFactory getBindMarkers(ConnectionFactory connectionFactory) {
        return SqliteDialectProvider.isSqlite(connectionFactory) ? SqliteDialect.BIND_MARKERS : null;
    }
}
