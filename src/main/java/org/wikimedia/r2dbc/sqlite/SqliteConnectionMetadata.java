package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.ConnectionMetadata;

final class SqliteConnectionMetadata implements ConnectionMetadata {

    static final String PRODUCT_NAME = "SQLite";

    private final String version;

    SqliteConnectionMetadata(String version) {
        this.version = version;
    }

    @Override
    public String getDatabaseProductName() {
        return PRODUCT_NAME;
    }

    @Override
    public String getDatabaseVersion() {
        return version;
    }
}
