package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Batch;
import io.r2dbc.spi.Result;
import reactor.core.publisher.Flux;

import java.util.ArrayList;
import java.util.List;

/** SQL statements without parameters, run in order in one task; each gives its own result. */
final class SqliteBatch implements Batch {

    private static final List<Object[]> NO_BINDINGS = List.<Object[]>of(new Object[0]);

    private final SqliteConnection connection;
    private final List<SqlScript.Part> parts = new ArrayList<>();

    SqliteBatch(SqliteConnection connection) {
        this.connection = connection;
    }

    @Override
    public SqliteBatch add(String sql) {
        if (sql == null) {
            throw new IllegalArgumentException("sql must not be null");
        }
        SqlScript script = SqlScript.parse(sql);
        if (script.parameterCount > 0) {
            throw new IllegalArgumentException("Batch statements take no parameters: " + sql);
        }
        parts.addAll(script.parts);
        return this;
    }

    @Override
    public Flux<Result> execute() {
        List<SqlScript.Part> toRun = List.copyOf(parts);
        return Flux.defer(() -> connection.execute(toRun, NO_BINDINGS, null, 0));
    }
}
