package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Small blocking helpers for test fixtures (never on a request path). */
final class SqliteTestSupport {

    private SqliteTestSupport() {
    }

    static void run(ConnectionFactory factory, String... sql) {
        Mono.usingWhen(factory.create(),
                connection -> Flux.fromArray(sql)
                    .concatMap(s -> Flux.from(connection.createStatement(s).execute()).concatMap(Result::getRowsUpdated))
                    .then(),
                Connection::close)
            .block();
    }

    static Mono<Long> update(Statement statement) {
        return Flux.from(statement.execute()).concatMap(Result::getRowsUpdated).reduce(0L, Long::sum);
    }

    static Mono<Long> queryLong(Connection connection, String sql) {
        return Flux.from(connection.createStatement(sql).execute())
            .concatMap(result -> result.map(row -> row.get(0, Long.class)))
            .single();
    }

    static long queryLong(ConnectionFactory factory, String sql) {
        return Mono.usingWhen(factory.create(), connection -> queryLong(connection, sql), Connection::close).block();
    }
}
