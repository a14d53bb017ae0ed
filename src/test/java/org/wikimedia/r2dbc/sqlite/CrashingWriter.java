package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Child JVM for {@link SqliteCrashTest}: commits {@code committed} rows, then opens a transaction, writes more rows,
 * says so on stdout and waits to be killed.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int committed = Integer.parseInt(args[1]);
        SqliteConnectionFactory factory = (SqliteConnectionFactory) ConnectionFactories.get("r2dbc:sqlite://" + path);
        Connection connection = factory.create().block();
        SqliteTestSupport.update(connection.createStatement("CREATE TABLE t (i INTEGER PRIMARY KEY, payload TEXT)"))
            .block();
        Flux.range(0, committed)
            .concatMap(i -> SqliteTestSupport.update(connection.createStatement("INSERT INTO t VALUES (?1, ?2)")
                .bind(0, i).bind(1, "committed-" + i)))
            .blockLast();
        Mono.from(connection.beginTransaction()).block();
        Flux.range(committed, 5_000)
            .concatMap(i -> SqliteTestSupport.update(connection.createStatement("INSERT INTO t VALUES (?1, ?2)")
                .bind(0, i).bind(1, "uncommitted-" + "x".repeat(200))))
            .blockLast();
        System.out.println("IN_TRANSACTION");
        System.out.flush();
        // Wait to be killed; reading stdin never returns while the parent holds the pipe open.
        System.in.read();
    }
}
