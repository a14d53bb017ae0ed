package org.wikimedia.spiderpig.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactories;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class PostgresTestDatabaseTest {

    @Test
    void aFreshDatabaseIsEmptyAndGoneAfterClose() {
        try (PostgresTestDatabase database = PostgresTestDatabase.create()) {
            Long tables = Mono.usingWhen(Mono.from(ConnectionFactories.get(database.options()).create()),
                            (Connection c) -> Flux.from(c.createStatement(
                                            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
                                    .execute()).flatMap(r -> r.map((row, meta) -> row.get(0, Long.class))).next(),
                            Connection::close)
                    .block(Duration.ofSeconds(60));
            assertThat(tables).isZero();
        }
    }
}
