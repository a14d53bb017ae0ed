package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Nullability;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Type;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/** Columns of a result; names match case-insensitively, as SQLite's do, and the first of equal names wins. */
final class SqliteRowMetadata implements RowMetadata {

    private final List<Column> columns;
    private final Map<String, Integer> byName;
    private final List<String> names;

    private SqliteRowMetadata(List<Column> columns) {
        this.columns = columns;
        this.byName = new HashMap<>();
        List<String> names = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).getName();
            byName.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            names.add(name);
        }
        this.names = Collections.unmodifiableList(names);
    }

    static SqliteRowMetadata of(ResultSetMetaData metaData) throws SQLException {
        int count = metaData.getColumnCount();
        List<Column> columns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String declared = metaData.getColumnTypeName(i);
            Nullability nullability;
            switch (metaData.isNullable(i)) {
                case ResultSetMetaData.columnNoNulls:
                    nullability = Nullability.NON_NULL;
                    break;
                case ResultSetMetaData.columnNullable:
                    nullability = Nullability.NULLABLE;
                    break;
                default:
                    nullability = Nullability.UNKNOWN;
            }
            columns.add(new Column(metaData.getColumnLabel(i), declared, nullability));
        }
        return new SqliteRowMetadata(columns);
    }

    /**
     * Whether a result set of the same SQL still has this shape. Only the column count is compared, per query:
     * DDL run through this driver drops cached metadata anyway, so only another process renaming columns of a
     * running application could make cached names stale.
     */
    boolean matches(ResultSetMetaData metaData) throws SQLException {
        return metaData.getColumnCount() == columns.size();
    }

    int size() {
        return columns.size();
    }

    Column column(int index) {
        if (index < 0 || index >= columns.size()) {
            throw new IndexOutOfBoundsException("Column index " + index + " out of range 0.." + (columns.size() - 1));
        }
        return columns.get(index);
    }

    int indexOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        Integer index = byName.get(name.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new NoSuchElementException("No column named '" + name + "'; columns are " + names);
        }
        return index;
    }

    @Override
    public ColumnMetadata getColumnMetadata(int index) {
        return column(index);
    }

    @Override
    public ColumnMetadata getColumnMetadata(String name) {
        return columns.get(indexOf(name));
    }

    @Override
    public List<? extends ColumnMetadata> getColumnMetadatas() {
        return Collections.unmodifiableList(columns);
    }

    @Override
    public boolean contains(String columnName) {
        return columnName != null && byName.containsKey(columnName.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "SqliteRowMetadata" + names;
    }

    static final class Column implements ColumnMetadata {
        private final String name;
        private final String declaredType;
        private final Nullability nullability;
        final Class<?> javaType;
        private final Type type;

        Column(String name, String declaredType, Nullability nullability) {
            this.name = name;
            this.declaredType = declaredType == null ? "" : declaredType;
            this.nullability = nullability;
            this.javaType = Codecs.javaType(declaredType);
            String typeName = this.declaredType.isEmpty() ? "ANY" : this.declaredType;
            this.type = new Type() {
                @Override
                public Class<?> getJavaType() {
                    return javaType;
                }

                @Override
                public String getName() {
                    return typeName;
                }
            };
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public Type getType() {
            return type;
        }

        @Override
        public Class<?> getJavaType() {
            return javaType;
        }

        @Override
        public Object getNativeTypeMetadata() {
            return declaredType;
        }

        @Override
        public Nullability getNullability() {
            return nullability;
        }

        @Override
        public String toString() {
            return name + " " + type.getName();
        }
    }
}
