package org.wikimedia.r2dbc.sqlite;

import io.r2dbc.spi.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.annotation.Id;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.mapping.Table;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.wikimedia.r2dbc.sqlite.spring.SqliteDialect;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.data.relational.core.query.Criteria.where;
import static org.springframework.data.relational.core.query.Query.query;

/** Spring Boot's R2DBC auto-configuration on {@code spring.r2dbc.url=r2dbc:sqlite:...}. */
// The application's readiness group names health checks that this bare driver application does not have.
@SpringBootTest(classes = SqliteSpringBootTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "management.endpoint.health.validate-group-membership=false")
class SqliteSpringBootTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.r2dbc.url", () -> "r2dbc:sqlite://" + dir.resolve("spring.db") + "?busyTimeout=5s");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    @Table("note")
    record Note(@Id Long id, String text) {
    }

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    DatabaseClient client;
    @Autowired
    R2dbcEntityTemplate template;
    @Autowired
    ReactiveTransactionManager transactionManager;

    @Test
    void autoConfiguredClientTemplateAndTransactionsWork() {
        assertThat(connectionFactory.getMetadata().getName()).isEqualTo("SQLite");
        assertThat(template.getDataAccessStrategy().getDialect()).isInstanceOf(SqliteDialect.class);

        client.sql("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)")
            .then()
            .as(StepVerifier::create)
            .verifyComplete();

        client.sql("INSERT INTO note (text) VALUES (:text)").bind("text", "named")
            .fetch().rowsUpdated()
            .as(StepVerifier::create)
            .expectNext(1L)
            .verifyComplete();

        template.insert(new Note(null, "entity"))
            .as(StepVerifier::create)
            .assertNext(saved -> assertThat(saved.id()).isEqualTo(2L))
            .verifyComplete();

        TransactionalOperator tx = TransactionalOperator.create(transactionManager);
        template.insert(new Note(null, "rolled back"))
            .then(Mono.error(new IllegalStateException("roll back")))
            .as(tx::transactional)
            .as(StepVerifier::create)
            .verifyErrorMessage("roll back");
        template.insert(new Note(null, "committed"))
            .as(tx::transactional)
            .as(StepVerifier::create)
            .expectNextCount(1)
            .verifyComplete();

        template.select(query(where("text").like("%e%")).sort(org.springframework.data.domain.Sort.by("id")).limit(10),
                Note.class)
            .map(Note::text)
            .collectList()
            .as(StepVerifier::create)
            .assertNext(texts -> assertThat(texts).containsExactly("named", "entity", "committed"))
            .verifyComplete();

        client.sql("SELECT count(*) AS n FROM note WHERE id > :min AND id > :min").bind("min", 0)
            .map(row -> row.get("n", Long.class))
            .one()
            .as(StepVerifier::create)
            .expectNext(3L)
            .verifyComplete();
    }
}
