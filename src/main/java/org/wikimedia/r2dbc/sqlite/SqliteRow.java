package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;

/** One row, already copied out of the SQLite cursor, so it stays valid wherever it travels. */
final class SqliteRow implements Row, Result.RowSegment {

    private final SqliteRowMetadata metadata;
    private final Object[] values;

    SqliteRow(SqliteRowMetadata metadata, Object[] values) {
        this.metadata = metadata;
        this.values = values;
    }

    @Override
    public RowMetadata getMetadata() {
        return metadata;
    }

    @Override
    public <T> T get(int index, Class<T> type) {
        SqliteRowMetadata.Column column = metadata.column(index);
        return Codecs.decode(values[index], type, column.javaType);
    }

    @Override
    public <T> T get(String name, Class<T> type) {
        return get(metadata.indexOf(name), type);
    }

    @Override
    public Row row() {
        return this;
    }
}
