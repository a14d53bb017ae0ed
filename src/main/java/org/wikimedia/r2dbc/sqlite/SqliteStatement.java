package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Blob;
import io.r2dbc.spi.Clob;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement with SQLite's placeholders: {@code ?1 ?2 ...} (what Spring's bind markers produce), plain {@code ?},
 * and {@code :name @name $name}. Index {@code i} binds SQLite parameter {@code i + 1}; names bind with or without
 * their prefix. Several statements separated by {@code ;} run one after the other, each giving its own result.
 */
final class SqliteStatement implements Statement {

    private static final Object[] NO_BINDING = new Object[0];

    private final SqliteConnection connection;
    private final SqlScript script;
    private final List<Object[]> bindings = new ArrayList<>();
    private Object[] current;
    private String[] generatedColumns;
    private int fetchSize;
    /** Whether a Blob or Clob was bound: their content is read before execution. */
    private boolean lobsBound;

    SqliteStatement(SqliteConnection connection, String sql) {
        this.connection = connection;
        this.script = SqlScript.parse(sql);
    }

    @Override
    public SqliteStatement add() {
        if (current == null) {
            if (script.parameterCount > 0) {
                throw new IllegalStateException("No parameter is bound; bind all " + script.parameterCount
                    + " parameters before add()");
            }
            bindings.add(NO_BINDING);
            return this;
        }
        checkComplete(current);
        bindings.add(current);
        current = null;
        return this;
    }

    @Override
    public SqliteStatement bind(int index, Object value) {
        Object encoded = encode(value);
        current()[checkIndex(index)] = encoded;
        return this;
    }

    @Override
    public SqliteStatement bind(String name, Object value) {
        int index = indexOf(name);
        Object encoded = encode(value);
        current()[index] = encoded;
        return this;
    }

    private Object encode(Object value) {
        Object encoded = Codecs.encode(value);
        if (encoded instanceof Blob || encoded instanceof Clob) {
            lobsBound = true;
        }
        return encoded;
    }

    @Override
    public SqliteStatement bindNull(int index, Class<?> type) {
        Codecs.checkBindableType(type);
        current()[checkIndex(index)] = Codecs.NULL;
        return this;
    }

    @Override
    public SqliteStatement bindNull(String name, Class<?> type) {
        int index = indexOf(name);
        Codecs.checkBindableType(type);
        current()[index] = Codecs.NULL;
        return this;
    }

    private int indexOf(String name) {
        if (name == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        Integer index = script.names.get(name);
        if (index == null) {
            throw new java.util.NoSuchElementException("No parameter named '" + name + "' in: " + sql() + " (named "
                + script.names.keySet() + ")");
        }
        return index;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= script.parameterCount) {
            throw new IndexOutOfBoundsException("Parameter index " + index + " is out of range: the statement has "
                + script.parameterCount + " parameters (index 0 binds ?1)");
        }
        return index;
    }

    private Object[] current() {
        if (current == null) {
            // null marks a parameter not bound yet; a bound NULL is Codecs.NULL.
            current = new Object[script.parameterCount];
        }
        return current;
    }

    private void checkComplete(Object[] binding) {
        for (int i = 0; i < binding.length; i++) {
            if (binding[i] == null) {
                throw new IllegalStateException("Parameter ?" + (i + 1) + " (index " + i + ") is not bound in: "
                    + sql());
            }
        }
    }

    private String sql() {
        return script.parts.isEmpty() ? "" : String.join("; ", script.parts.stream().map(p -> p.sql).toList());
    }

    @Override
    public SqliteStatement returnGeneratedValues(String... columns) {
        if (columns == null) {
            throw new IllegalArgumentException("columns must not be null");
        }
        for (String column : columns) {
            if (column == null) {
                throw new IllegalArgumentException("column names must not be null");
            }
        }
        this.generatedColumns = columns.clone();
        return this;
    }

    @Override
    public SqliteStatement fetchSize(int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("fetch size must not be negative, was " + rows);
        }
        this.fetchSize = rows;
        return this;
    }

    @Override
    public Flux<Result> execute() {
        List<Object[]> all = new ArrayList<>(bindings);
        if (current != null) {
            checkComplete(current);
            all.add(current);
        } else if (!bindings.isEmpty() && script.parameterCount > 0) {
            throw new IllegalStateException("add() was called without binding the next parameter set; "
                + "bind parameters after add() or do not call add() after the last set");
        }
        if (all.isEmpty()) {
            if (script.parameterCount > 0) {
                throw new IllegalStateException("No parameter is bound; the statement has " + script.parameterCount
                    + " parameters");
            }
            all.add(NO_BINDING);
        }
        bindings.clear();
        current = null;
        String[] generated = generatedColumns;
        int fetch = fetchSize;
        if (lobsBound) {
            lobsBound = false;
            return resolveLobs(all).flatMapMany(resolved -> connection.execute(script.parts, resolved, generated, fetch));
        }
        return Flux.defer(() -> connection.execute(script.parts, all, generated, fetch));
    }

    /** Reads bound Blob and Clob streams before the statement goes to the database thread. */
    private static Mono<List<Object[]>> resolveLobs(List<Object[]> all) {
        return Flux.fromIterable(all)
            .concatMap(binding -> Flux.range(0, binding.length)
                .concatMap(i -> resolve(binding[i]))
                .collectList()
                .map(List::toArray))
            .collectList();
    }

    private static Mono<Object> resolve(Object value) {
        if (value instanceof Blob) {
            Blob blob = (Blob) value;
            return Flux.from(blob.stream())
                .reduce(new java.io.ByteArrayOutputStream(), (out, buffer) -> {
                    ByteBuffer copy = buffer.duplicate();
                    byte[] bytes = new byte[copy.remaining()];
                    copy.get(bytes);
                    out.write(bytes, 0, bytes.length);
                    return out;
                })
                .<Object>map(java.io.ByteArrayOutputStream::toByteArray)
                .defaultIfEmpty(new byte[0]);
        }
        if (value instanceof Clob) {
            Clob clob = (Clob) value;
            return Flux.from(clob.stream())
                .reduce(new StringBuilder(), StringBuilder::append)
                .<Object>map(StringBuilder::toString)
                .defaultIfEmpty("");
        }
        return Mono.just(value);
    }

    @Override
    public String toString() {
        return "SqliteStatement{" + sql() + '}';
    }

}
